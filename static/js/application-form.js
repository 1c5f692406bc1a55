/*
 * The application form, progressively enhanced: it works as a plain HTML form without this file.
 * With it: answers save in the background while the founder types (never the pitch deck file),
 * team rows are added and removed in place, and long answers show how many characters are left.
 * No inline script or style is needed, so it runs under a strict Content-Security-Policy.
 */
(function () {
  "use strict";

  var form = document.getElementById("application-form");
  if (!form || !window.fetch || !window.FormData) {
    return;
  }
  var DELAY_MS = 1500;
  var url = form.dataset.autosaveUrl;
  var statusBox = form.querySelector("[data-autosave-status]");
  var timer = null;
  var inFlight = false;
  var dirty = false;
  // After a conflict only an explicit save may replace the saved version.
  var paused = form.hasAttribute("data-autosave-paused");
  var submitting = false;
  var fileChosen = false;
  var pendingSubmitter = null;
  var retryMs = 5000;

  function msg(key) {
    return form.dataset["msg" + key] || "";
  }

  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (_match, name) {
      return values[name];
    });
  }

  function setStatus(text, kind) {
    statusBox.textContent = text;
    statusBox.classList.toggle("text-danger", kind === "error");
    statusBox.classList.toggle("text-body-secondary", kind !== "error");
  }

  function showAlert(text) {
    var box = form.querySelector("[data-autosave-alert]");
    if (!box) {
      box = document.createElement("div");
      box.className = "alert alert-warning";
      box.setAttribute("role", "alert");
      box.setAttribute("data-autosave-alert", "");
      form.insertBefore(box, form.firstChild);
    }
    box.textContent = text;
    box.scrollIntoView({ block: "center" });
  }

  function payload() {
    var data = new FormData(form);
    // Files go only with an explicit "Save draft", never in the background.
    form.querySelectorAll('input[type="file"]').forEach(function (input) {
      data.delete(input.name);
    });
    data.delete("remove_deck");
    return data;
  }

  function schedule() {
    dirty = true;
    if (paused) {
      return;
    }
    setStatus(msg("Unsaved"));
    clearTimeout(timer);
    timer = setTimeout(save, DELAY_MS);
  }

  function clearErrors() {
    form.querySelectorAll("[data-autosave-invalid]").forEach(function (el) {
      el.classList.remove("is-invalid");
      el.removeAttribute("aria-invalid");
      el.removeAttribute("data-autosave-invalid");
    });
  }

  function markErrors(errors) {
    clearErrors();
    errors.forEach(function (error) {
      var el = error.field ? form.elements.namedItem(error.field) : null;
      if (el && el.classList) {
        el.classList.add("is-invalid");
        el.setAttribute("aria-invalid", "true");
        el.setAttribute("data-autosave-invalid", "");
      }
    });
  }

  function updateSections(sections, progressMessage) {
    var keys = Object.keys(sections);
    var done = 0;
    keys.forEach(function (key) {
      var complete = sections[key];
      if (complete) {
        done += 1;
      }
      var badge = form.querySelector('[data-section-badge="' + key + '"]');
      if (badge) {
        badge.textContent = complete ? msg("Complete") : msg("Todo");
        badge.className = "badge " + (complete ? "text-bg-success" : "text-bg-warning");
      }
      var mark = document.querySelector('[data-section-mark="' + key + '"]');
      if (mark) {
        mark.textContent = complete ? "✓" : "○";
        mark.className = complete ? "text-success" : "text-body-tertiary";
        mark.title = complete ? msg("Complete") : msg("Todo");
      }
    });
    var progress = document.querySelector("[data-progress]");
    if (progress) {
      progress.value = done;
    }
    var progressText = document.querySelector("[data-progress-text]");
    if (progressText && progressMessage) {
      // The server words it, with the plural of the reader's language ("1 section complète sur 7").
      progressText.textContent = progressMessage;
    }
  }

  function finishPendingSubmit() {
    if (!pendingSubmitter) {
      return;
    }
    var submitter = pendingSubmitter;
    pendingSubmitter = null;
    submitting = true;
    if (form.requestSubmit) {
      form.requestSubmit(submitter);
    } else {
      var hidden = document.createElement("input");
      hidden.type = "hidden";
      hidden.name = submitter.name;
      hidden.value = submitter.value;
      form.appendChild(hidden);
      HTMLFormElement.prototype.submit.call(form);
    }
  }

  function handle(body) {
    if (body.status === "saved") {
      form.elements.namedItem("version").value = body.version;
      setStatus(body.message);
      clearErrors();
      updateSections(body.sections, body.progress);
    } else if (body.status === "conflict" || body.status === "closed") {
      paused = true;
      setStatus(body.message, "error");
      showAlert(body.message);
    } else if (body.status === "invalid") {
      var details = (body.errors || []).map(function (error) {
        return error.label + ": " + error.messages.join(" ");
      });
      setStatus([body.message].concat(details).join(" "), "error");
      markErrors(body.errors || []);
    } else {
      setStatus(body.message || msg("Unsaved"), "error");
    }
  }

  function save() {
    if (paused || !dirty) {
      finishPendingSubmit();
      return;
    }
    if (inFlight) {
      clearTimeout(timer);
      timer = setTimeout(save, DELAY_MS);
      return;
    }
    inFlight = true;
    dirty = false;
    setStatus(msg("Saving"));
    fetch(url, {
      method: "POST",
      body: payload(),
      credentials: "same-origin",
      headers: { Accept: "application/json", "X-Requested-With": "fetch" },
      keepalive: document.visibilityState === "hidden",
    })
      .then(function (response) {
        var type = response.headers.get("Content-Type") || "";
        if (type.indexOf("application/json") === -1) {
          // Logged out, or an error page: stop, the explicit save button still works.
          paused = true;
          return { status: "error", message: msg("Unsaved") };
        }
        return response.json();
      })
      .then(function (body) {
        inFlight = false;
        retryMs = 5000;
        handle(body);
        if (pendingSubmitter) {
          finishPendingSubmit();
        } else if (dirty && !paused) {
          schedule();
        }
      })
      .catch(function () {
        inFlight = false;
        dirty = true;
        setStatus(msg("Offline"), "error");
        if (pendingSubmitter) {
          finishPendingSubmit();
          return;
        }
        clearTimeout(timer);
        timer = setTimeout(save, retryMs);
        retryMs = Math.min(retryMs * 2, 60000);
      });
  }

  form.addEventListener("input", function (event) {
    if (event.target.type === "file") {
      return;
    }
    schedule();
  });
  form.addEventListener("change", function (event) {
    if (event.target.type === "file") {
      fileChosen = event.target.files.length > 0;
      var note = form.querySelector("[data-deck-note]");
      if (note && fileChosen) {
        note.textContent = msg("File");
        note.classList.add("text-warning-emphasis");
      }
      return;
    }
    if (event.target.type === "checkbox" || event.target.type === "radio" || event.target.tagName === "SELECT") {
      schedule();
    }
  });

  form.addEventListener("submit", function (event) {
    clearTimeout(timer);
    if (inFlight) {
      // Let the background save finish first, so this save carries the version it produced.
      event.preventDefault();
      pendingSubmitter = event.submitter || null;
      return;
    }
    submitting = true;
  });

  window.addEventListener("beforeunload", function (event) {
    if (!submitting && (dirty || inFlight || fileChosen)) {
      event.preventDefault();
      event.returnValue = "";
    }
  });

  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden" && dirty && !paused) {
      clearTimeout(timer);
      save();
    }
  });

  // Team rows: add and remove in place instead of a round trip to the server.
  var rows = form.querySelector("[data-team-rows]");
  var template = form.querySelector("[data-team-template]");
  var addButton = form.querySelector("[data-team-add]");
  var total = form.elements.namedItem("team-TOTAL_FORMS");
  var maxRows = Number((form.elements.namedItem("team-MAX_NUM_FORMS") || {}).value || 20);

  function renumber() {
    var n = 0;
    rows.querySelectorAll("[data-team-row]").forEach(function (row) {
      if (!row.hidden) {
        n += 1;
        var number = row.querySelector("[data-team-number]");
        if (number) {
          number.textContent = n;
        }
      }
    });
  }

  function enhanceRow(row) {
    var holder = row.querySelector("[data-team-delete]");
    if (!holder) {
      return;
    }
    var checkbox = holder.querySelector('input[type="checkbox"]');
    holder.hidden = true;
    var button = document.createElement("button");
    button.type = "button";
    button.className = "btn btn-sm btn-outline-danger";
    button.textContent = msg("Remove");
    button.addEventListener("click", function () {
      checkbox.checked = true;
      row.hidden = true;
      renumber();
      schedule();
    });
    holder.parentNode.appendChild(button);
    if (checkbox.checked) {
      row.hidden = true;
    }
  }

  if (rows && template && addButton && total) {
    rows.querySelectorAll("[data-team-row]").forEach(enhanceRow);
    addButton.addEventListener("click", function (event) {
      event.preventDefault();
      var index = Number(total.value);
      if (index >= maxRows) {
        return;
      }
      rows.insertAdjacentHTML("beforeend", template.innerHTML.split("__prefix__").join(String(index)));
      total.value = index + 1;
      var row = rows.lastElementChild;
      enhanceRow(row);
      renumber();
      var first = row.querySelector("input");
      if (first) {
        first.focus();
      }
    });
    renumber();
  }

  // Long answers: a live count against the limit.
  form.querySelectorAll("textarea[maxlength]").forEach(function (area) {
    var counter = document.createElement("div");
    counter.className = "form-text text-end char-count";
    area.insertAdjacentElement("afterend", counter);
    function update() {
      counter.textContent = fill(msg("Chars"), { count: area.value.length, max: area.maxLength });
    }
    area.addEventListener("input", update);
    update();
  });
})();
