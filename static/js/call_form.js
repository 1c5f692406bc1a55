/*
 * The call form's reminder schedules and eligible countries, progressively enhanced: both work as
 * plain HTML without this file. With it, reminder rows are added and removed in place and the
 * sentence under them follows what is typed; the countries get a filter box and "Select all
 * EU/EEA" / "Clear" buttons. Texts come translated in data-msg-* attributes.
 */
(function () {
  "use strict";

  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (_match, name) {
      return values[name];
    });
  }

  function msg(box, key) {
    return box.dataset["msg" + key] || "";
  }

  // Reminder schedules -------------------------------------------------------------------------

  function setUpSchedule(box) {
    var list = box.querySelector(".reminder-rows");
    var preview = box.querySelector(".reminder-preview");
    var name = box.dataset.name;
    var maxRows = parseInt(box.dataset.maxRows, 10) || 10;
    var nojs = box.querySelector(".reminder-nojs");
    if (nojs) {
      nojs.hidden = true;
    }
    var add = document.createElement("button");
    add.type = "button";
    add.className = "button reminder-add";
    add.textContent = msg(box, "Add");
    box.insertBefore(add, preview);

    function rows() {
      return Array.prototype.slice.call(list.querySelectorAll(".reminder-row"));
    }

    // Rows are named name_0, name_1 ... in order, as the server reads them.
    function renumber() {
      rows().forEach(function (row, i) {
        var amount = row.querySelector(".reminder-amount");
        var unit = row.querySelector(".reminder-unit");
        amount.name = name + "_" + i;
        amount.id = "id_" + name + "_" + i;
        amount.setAttribute("aria-label", fill(msg(box, "Amount"), { n: i + 1 }));
        unit.name = name + "_" + i + "_unit";
        unit.id = "id_" + name + "_" + i + "_unit";
        unit.setAttribute("aria-label", fill(msg(box, "Unit"), { n: i + 1 }));
        var remove = row.querySelector(".reminder-remove");
        remove.setAttribute("aria-label", msg(box, "Remove") + " " + (i + 1));
      });
      add.hidden = rows().length >= maxRows;
    }

    function part(amount, unit) {
      var key = unit === "days" ? (amount === 1 ? "Day" : "Days") : amount === 1 ? "Hour" : "Hours";
      return { hours: unit === "days" ? amount * 24 : amount, text: fill(msg(box, key), { n: amount }) };
    }

    function update() {
      var parts = [];
      var valid = true;
      rows().forEach(function (row) {
        var raw = row.querySelector(".reminder-amount").value.trim();
        if (!raw) {
          return;
        }
        var amount = Number(raw);
        if (!Number.isInteger(amount) || amount < 1) {
          valid = false;
          return;
        }
        parts.push(part(amount, row.querySelector(".reminder-unit").value));
      });
      if (!valid) {
        preview.textContent = "";
        return;
      }
      parts.sort(function (a, b) {
        return b.hours - a.hours;
      });
      var texts = parts.map(function (p) {
        return p.text;
      });
      var strong = document.createElement("strong");
      if (!texts.length) {
        strong.textContent = msg(box, "None");
      } else {
        var offsets = texts.length === 1 ? texts[0] : fill(msg(box, "And"), { list: texts.slice(0, -1).join(", "), last: texts[texts.length - 1] });
        strong.textContent = fill(msg(box, "Sentence"), { offsets: offsets });
      }
      preview.replaceChildren(strong);
    }

    function addRemoveButton(row) {
      var remove = document.createElement("button");
      remove.type = "button";
      remove.className = "button reminder-remove";
      remove.textContent = msg(box, "Remove");
      remove.addEventListener("click", function () {
        var next = row.nextElementSibling || row.previousElementSibling;
        row.remove();
        if (!rows().length) {
          addRow();
        }
        renumber();
        update();
        (next ? next.querySelector(".reminder-amount") : add).focus();
      });
      row.appendChild(remove);
    }

    function addRow() {
      var template = list.querySelector(".reminder-row");
      var row = template.cloneNode(true);
      row.querySelector(".reminder-amount").value = "";
      row.querySelector(".reminder-unit").value = "days";
      var old = row.querySelector(".reminder-remove");
      if (old) {
        old.remove();
      }
      addRemoveButton(row);
      list.appendChild(row);
      return row;
    }

    // Keep the filled rows and one empty row; the server's spare rows are for pages without JS.
    var empty = rows().filter(function (row) {
      return !row.querySelector(".reminder-amount").value.trim();
    });
    empty.slice(rows().length - empty.length === 0 ? 1 : 0).forEach(function (row) {
      row.remove();
    });
    rows().forEach(addRemoveButton);
    renumber();
    add.addEventListener("click", function () {
      var row = addRow();
      renumber();
      row.querySelector(".reminder-amount").focus();
    });
    list.addEventListener("input", update);
    list.addEventListener("change", update);
  }

  // Eligible countries -------------------------------------------------------------------------

  function setUpCountries(box) {
    var tools = box.querySelector(".country-tools");
    var search = box.querySelector(".country-search");
    var count = box.querySelector(".country-count");
    var options = Array.prototype.slice.call(box.querySelectorAll(".country-option"));
    var preset = (box.dataset.preset || "").split(" ");
    var nojs = box.querySelector(".country-preset-nojs");
    tools.hidden = false;
    if (nojs) {
      nojs.hidden = true;
      nojs.querySelector("input").checked = false;
    }

    function input(option) {
      return option.querySelector("input[type=checkbox]");
    }

    function recount() {
      var n = options.filter(function (option) {
        return input(option).checked;
      }).length;
      count.textContent = fill(msg(box, "Count"), { n: n });
    }

    // Accents and case do not matter: "cote" finds Côte d'Ivoire, "fr" finds France.
    function fold(text) {
      return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
    }

    search.addEventListener("input", function () {
      var wanted = fold(search.value.trim());
      options.forEach(function (option) {
        var text = fold(option.textContent) + " " + option.dataset.code.toLowerCase();
        option.hidden = wanted !== "" && text.indexOf(wanted) === -1;
      });
    });
    // Enter in the filter box must not submit the whole call form.
    search.addEventListener("keydown", function (event) {
      if (event.key === "Enter") {
        event.preventDefault();
      }
    });
    box.querySelector(".country-preset").addEventListener("click", function () {
      options.forEach(function (option) {
        if (preset.indexOf(option.dataset.code) !== -1) {
          input(option).checked = true;
        }
      });
      recount();
    });
    box.querySelector(".country-clear").addEventListener("click", function () {
      options.forEach(function (option) {
        input(option).checked = false;
      });
      recount();
    });
    box.addEventListener("change", recount);
  }

  function start() {
    document.querySelectorAll(".reminder-schedule").forEach(setUpSchedule);
    document.querySelectorAll(".country-checklist").forEach(setUpCountries);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
