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
  // Retries after a failure wait 1 s, 2 s, 4 s… up to 30 s, each drawn between half and all of
  // that, so the tabs of a thousand founders do not all come back in the same second.
  var RETRY_BASE_MS = 1000;
  var RETRY_CAP_MS = 30000;
  // After the founder opens the sign-in link, look every few seconds whether they are back.
  var SIGN_IN_POLL_MS = 3000;
  var url = form.dataset.autosaveUrl;
  var statusBox = form.querySelector("[data-autosave-status]");
  var versionField = form.elements.namedItem("version");
  var timer = null;
  var draftTimer = null;
  var inFlight = false;
  var dirty = false;
  // After a conflict only an explicit save may replace the saved version.
  var paused = form.hasAttribute("data-autosave-paused");
  var submitting = false;
  var fileChosen = false;
  var pendingSubmitter = null;
  var failures = 0;
  var signedOut = false;
  var signInPoll = null;

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

  // What went wrong with the connection, next to the save buttons, where the founder looks
  // (never scrolled to: they may be typing elsewhere).
  function showProblem(text, withSignIn) {
    var box = form.querySelector("[data-autosave-problem]");
    if (!box) {
      box = document.createElement("div");
      box.className = "alert alert-warning w-100 mb-0 py-2 small";
      box.setAttribute("role", "alert");
      box.setAttribute("data-autosave-problem", "");
      statusBox.parentNode.insertBefore(box, statusBox.parentNode.firstChild);
    }
    if (box.dataset.text === text + withSignIn) {
      return;
    }
    box.dataset.text = text + withSignIn;
    box.textContent = text + " ";
    if (withSignIn && form.dataset.loginUrl) {
      var link = document.createElement("a");
      link.href = form.dataset.loginUrl;
      link.target = "_blank";
      link.rel = "noopener";
      link.className = "alert-link";
      link.textContent = msg("Signin");
      link.addEventListener("click", watchForSignIn);
      box.appendChild(link);
    }
  }

  function hideProblem() {
    var box = form.querySelector("[data-autosave-problem]");
    if (box) {
      box.remove();
    }
  }

  // The unsent text also lives in this browser's storage, so a reload or a crashed tab keeps it.
  // One entry per founder and application; removed once the server has acknowledged it.
  var storage = (function () {
    try {
      var store = window.localStorage;
      store.setItem("accelerator:probe", "1");
      store.removeItem("accelerator:probe");
      return store;
    } catch (_error) {
      return null; // private mode or storage turned off: the page still keeps the text
    }
  })();
  var draftKey = form.dataset.draftKey;
  // Two tabs on one application share the entry: a tab removes only the draft it wrote itself.
  var tabId = String(Math.random()).slice(2);
  var restoredFrom = null;

  function snapshot() {
    var entries = [];
    payload().forEach(function (value, name) {
      if (name !== "csrfmiddlewaretoken" && name !== "version" && typeof value === "string") {
        entries.push([name, value]);
      }
    });
    return entries;
  }

  function keepDraft(posted) {
    clearTimeout(draftTimer);
    draftTimer = null;
    if (!storage || !draftKey) {
      return;
    }
    var draft = { tab: tabId, base: Number(versionField.value), at: Date.now(), posted: !!posted, entries: snapshot() };
    try {
      storage.setItem(draftKey, JSON.stringify(draft));
    } catch (_error) {
      // Full storage: the text is still in the page and the retries go on.
    }
  }

  function keepDraftSoon() {
    if (!draftTimer) {
      draftTimer = setTimeout(keepDraft, 300);
    }
  }

  function readDraft() {
    try {
      return JSON.parse(storage.getItem(draftKey));
    } catch (_error) {
      return null;
    }
  }

  function dropDraft() {
    clearTimeout(draftTimer);
    draftTimer = null;
    var kept = storage && draftKey ? readDraft() : null;
    if (kept && (kept.tab === tabId || restoredFrom === kept.tab)) {
      storage.removeItem(draftKey);
    }
  }

  function cookie(name) {
    var found = document.cookie.split("; ").filter(function (pair) {
      return pair.indexOf(name + "=") === 0;
    })[0];
    return found ? decodeURIComponent(found.slice(name.length + 1)) : "";
  }

  // Signing in (in another tab) gives a new CSRF token: always send the cookie's current one,
  // and keep it in the form too so a later explicit save carries it.
  function freshToken() {
    var token = cookie(form.dataset.csrfCookie || "csrftoken");
    var field = form.elements.namedItem("csrfmiddlewaretoken");
    if (token && field) {
      field.value = token;
    }
    return token || (field ? field.value : "");
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

  // Each answer's values by name, as the form would send them now, or (asLoaded) as the page came
  // from the server, whatever the founder or the browser (restoring a page) has put in it since.
  // Every field is listed, also an unticked box or a list with nothing ticked (no values), which a
  // form leaves out when it sends.
  var NOT_ANSWERS = /^(csrfmiddlewaretoken|version|remove_deck)$/;
  var NOT_SENT = { file: true, submit: true, button: true, reset: true, image: true };

  function answers(asLoaded) {
    var byName = {};
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || NOT_SENT[el.type] || NOT_ANSWERS.test(el.name)) {
        return;
      }
      var values = (byName[el.name] = byName[el.name] || []);
      if (el.disabled) {
        return;
      } else if (el.type === "checkbox" || el.type === "radio") {
        if (asLoaded ? el.defaultChecked : el.checked) {
          values.push(el.value);
        }
      } else if (el.tagName === "SELECT") {
        var chosen = Array.prototype.filter.call(el.options, function (option) {
          return asLoaded ? option.defaultSelected : option.selected;
        });
        if (asLoaded && !chosen.length && !el.multiple && el.options.length) {
          chosen = [el.options[0]]; // what a select shows and sends when no option is marked
        }
        chosen.forEach(function (option) {
          values.push(option.value);
        });
      } else {
        values.push(asLoaded ? el.defaultValue : el.value);
      }
    });
    return byName;
  }

  // What the server has saved, as this page knows it: the answers the page came with (unless it
  // shows a refused post), then those of each acknowledged autosave. null: not known, all is sent.
  var acknowledged = form.hasAttribute("data-draft-restore") ? answers(true) : null;

  // An autosave sends the version and only the answers that differ from what is acknowledged,
  // URL-encoded (docs/autosave.md): an emptied one as one empty value, the team's rows all
  // together when any of them changed.
  function changes(current) {
    var body = new URLSearchParams();
    body.append("version", versionField.value);
    var teamChanged = false;
    Object.keys(current).forEach(function (name) {
      if (acknowledged && JSON.stringify(current[name]) === JSON.stringify(acknowledged[name])) {
        return;
      }
      if (name.indexOf("team-") === 0) {
        teamChanged = true;
        return;
      }
      (current[name].length ? current[name] : [""]).forEach(function (value) {
        body.append(name, value);
      });
    });
    if (teamChanged) {
      Object.keys(current).forEach(function (name) {
        if (name.indexOf("team-") === 0) {
          current[name].forEach(function (value) {
            body.append(name, value);
          });
        }
      });
    }
    return body;
  }

  function retryDelay() {
    var ceiling = Math.min(RETRY_CAP_MS, RETRY_BASE_MS * Math.pow(2, failures));
    return ceiling / 2 + Math.random() * (ceiling / 2);
  }

  function retryLater() {
    clearTimeout(timer);
    timer = setTimeout(save, retryDelay());
    failures += 1;
  }

  function retryNow() {
    if (dirty && !paused && !inFlight) {
      clearTimeout(timer);
      save();
    }
  }

  function watchForSignIn() {
    clearInterval(signInPoll);
    var tries = 0;
    signInPoll = setInterval(function () {
      tries += 1;
      if (!signedOut || tries > 200) {
        clearInterval(signInPoll);
        return;
      }
      retryNow();
    }, SIGN_IN_POLL_MS);
  }

  function schedule() {
    dirty = true;
    keepDraftSoon();
    if (paused) {
      return;
    }
    if (failures > 0 || signedOut) {
      // A retry is already planned; typing does not hurry it (the server may be struggling).
      if (!timer && !inFlight) {
        retryLater();
      }
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
    keepDraft(true);
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

  function failed(text, withSignIn) {
    dirty = true; // what was sent is sent again, with anything typed since
    keepDraft();
    setStatus(msg("Notsaved"), "error");
    showProblem(text, withSignIn);
    retryLater();
  }

  function handle(body, sentToken) {
    if (body.status !== "signed_out" && body.status !== "csrf") {
      signedOut = false;
    }
    if (body.status === "saved") {
      failures = 0;
      hideProblem();
      versionField.value = body.version;
      setStatus(body.message);
      clearErrors();
      updateSections(body.sections, body.progress);
      if (dirty) {
        keepDraft(); // typed while the save was on its way: kept, on top of the new version
      } else {
        dropDraft();
      }
    } else if (body.status === "conflict" || body.status === "closed") {
      failures = 0;
      hideProblem();
      paused = true;
      setStatus(body.message, "error");
      showAlert(body.message);
    } else if (body.status === "invalid") {
      failures = 0;
      hideProblem();
      var details = (body.errors || []).map(function (error) {
        return error.label + ": " + error.messages.join(" ");
      });
      setStatus([body.message].concat(details).join(" "), "error");
      markErrors(body.errors || []);
    } else if (body.status === "incomplete") {
      failures = 0;
      hideProblem();
      setStatus(body.message, "error");
    } else if (body.status === "csrf" && freshToken() !== sentToken && failures === 0) {
      // The token changed since this save left (a sign-in in another tab): send again at once.
      dirty = true;
      failures = 1;
      clearTimeout(timer);
      timer = setTimeout(save, 0);
    } else if (body.status === "signed_out" || body.status === "csrf") {
      signedOut = true;
      failed(msg("Signedout"), true);
    } else if (body.status === "offline") {
      failed(msg("Offline"), false);
    } else {
      failed(msg("Server"), false);
    }
  }

  function save() {
    clearTimeout(timer);
    timer = null;
    if (paused || !dirty) {
      finishPendingSubmit();
      return;
    }
    if (inFlight) {
      return; // what is typed meanwhile goes once this save has its answer
    }
    inFlight = true;
    dirty = false;
    var token = freshToken();
    if (!failures && !signedOut) {
      setStatus(msg("Saving"));
    }
    var sent = answers();
    fetch(url, {
      method: "POST",
      body: changes(sent),
      credentials: "same-origin",
      headers: { Accept: "application/json", "X-Requested-With": "fetch", "X-CSRFToken": token },
      keepalive: document.visibilityState === "hidden",
    })
      .then(function (response) {
        var type = response.headers.get("Content-Type") || "";
        if (type.indexOf("application/json") === -1) {
          // An error page from a proxy or a server in trouble: nothing says the text was saved.
          return { status: "unreachable" };
        }
        return response.json().catch(function () {
          return { status: "unreachable" };
        });
      })
      .catch(function () {
        return { status: "offline" };
      })
      .then(function (body) {
        inFlight = false;
        if (body.status === "saved") {
          acknowledged = sent;
        }
        handle(body, token);
        if (pendingSubmitter) {
          finishPendingSubmit();
        } else if (dirty && !paused && !timer) {
          schedule();
        }
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
    timer = null;
    if (inFlight) {
      // Let the background save finish first, so this save carries the version it produced.
      event.preventDefault();
      pendingSubmitter = event.submitter || null;
      return;
    }
    submitting = true;
    freshToken();
    // Kept until the next page shows the saved version: if this post never arrives, the text is back.
    keepDraft(true);
  });

  window.addEventListener("beforeunload", function (event) {
    if (!submitting && (dirty || inFlight || fileChosen)) {
      event.preventDefault();
      event.returnValue = "";
    }
  });

  window.addEventListener("pagehide", function () {
    if (!submitting && (dirty || inFlight)) {
      keepDraft();
    }
  });

  window.addEventListener("online", retryNow);
  window.addEventListener("offline", function () {
    if (dirty || inFlight) {
      setStatus(msg("Notsaved"), "error");
      showProblem(msg("Offline"), false);
    }
  });
  window.addEventListener("focus", function () {
    if (signedOut || failures > 0) {
      retryNow();
    }
  });

  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden" && dirty && !paused) {
      keepDraft();
      clearTimeout(timer);
      save();
    } else if (document.visibilityState === "visible" && (signedOut || failures > 0)) {
      retryNow();
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
      var row = addRow();
      var first = row && row.querySelector("input");
      if (first) {
        first.focus();
      }
    });
    renumber();
  }

  function addRow() {
    var index = Number(total.value);
    if (index >= maxRows) {
      return null;
    }
    rows.insertAdjacentHTML("beforeend", template.innerHTML.split("__prefix__").join(String(index)));
    total.value = index + 1;
    var row = rows.lastElementChild;
    enhanceRow(row);
    renumber();
    return row;
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

  // Back on the form after a reload, a crash or a failed post: put back what this browser kept and
  // the server never acknowledged. Only when it is newer than what the server has just shown.
  function restoreDraft() {
    var draft = storage && draftKey ? readDraft() : null;
    if (!draft || !draft.entries) {
      return;
    }
    restoredFrom = draft.tab;
    if (JSON.stringify(draft.entries) === JSON.stringify(snapshot())) {
      dropDraft();
      return;
    }
    if (draft.base !== Number(versionField.value)) {
      // Saved since (an explicit save of this text, or someone else's save): keep the draft only if
      // it was typed after that save, and send it on its old version so the server reports the
      // conflict instead of overwriting.
      if (draft.posted || !(draft.at > Number(form.dataset.savedAt || 0) * 1000)) {
        dropDraft();
        return;
      }
      versionField.value = draft.base;
    }
    applyEntries(draft.entries);
    setStatus(msg("Unsaved"));
    // Stays after the save: the founder should know the form holds more than the server had shown.
    var notice = document.createElement("div");
    notice.className = "alert alert-info";
    notice.setAttribute("role", "status");
    notice.setAttribute("data-draft-restored", "");
    notice.textContent = msg("Restored");
    form.insertBefore(notice, form.firstChild);
    dirty = true;
    keepDraft();
    clearTimeout(timer);
    timer = setTimeout(save, 0);
  }

  function applyEntries(entries) {
    var values = {};
    entries.forEach(function (entry) {
      (values[entry[0]] = values[entry[0]] || []).push(entry[1]);
    });
    var wanted = Number((values["team-TOTAL_FORMS"] || ["0"])[0]);
    while (rows && template && total && Number(total.value) < wanted && addRow()) {
      // adds back the rows the founder had added
    }
    var used = {};
    Array.prototype.forEach.call(form.elements, function (el) {
      var name = el.name;
      if (!name || el.type === "file" || el.type === "submit" || el.type === "button") {
        return;
      }
      if (name === "csrfmiddlewaretoken" || name === "version" || name === "remove_deck") {
        return;
      }
      var list = values[name];
      if (el.type === "checkbox" || el.type === "radio") {
        el.checked = !!list && list.indexOf(el.value) !== -1;
      } else if (!list) {
        return;
      } else if (el.tagName === "SELECT" && el.multiple) {
        Array.prototype.forEach.call(el.options, function (option) {
          option.selected = list.indexOf(option.value) !== -1;
        });
      } else {
        used[name] = (used[name] || 0) + 1;
        el.value = list[Math.min(used[name], list.length) - 1];
        if (el.tagName === "TEXTAREA") {
          el.dispatchEvent(new Event("input", { bubbles: true }));
        }
      }
    });
    if (rows) {
      rows.querySelectorAll("[data-team-row]").forEach(function (row) {
        var gone = row.querySelector('[data-team-delete] input[type="checkbox"]');
        row.hidden = !!(gone && gone.checked);
      });
      renumber();
    }
  }

  if (form.hasAttribute("data-draft-restore") && !paused) {
    restoreDraft();
  }
})();
