/*
 * The submit button, progressively enhanced: without this file it is a plain form post.
 * With it the post goes through fetch, so when the connection fails the page can say that it
 * cannot tell whether the application went through, and offer to check or to press again:
 * the server submits an application once, however often the button is pressed.
 */
(function () {
  "use strict";

  var form = document.querySelector("[data-submit-form]");
  if (!form || !window.fetch || !window.FormData) {
    return;
  }
  var button = form.querySelector('button[type="submit"]');
  var sending = false;

  function msg(key) {
    return form.dataset["msg" + key] || "";
  }

  function cookie(name) {
    var found = document.cookie.split("; ").filter(function (pair) {
      return pair.indexOf(name + "=") === 0;
    })[0];
    return found ? decodeURIComponent(found.slice(name.length + 1)) : "";
  }

  function say(text, withCheck) {
    var box = form.querySelector("[data-submit-problem]");
    if (!box) {
      box = document.createElement("div");
      box.className = "alert alert-warning mt-3 mb-0";
      box.setAttribute("role", "alert");
      box.setAttribute("data-submit-problem", "");
      form.appendChild(box);
    }
    box.textContent = text + " ";
    if (withCheck) {
      var link = document.createElement("a");
      link.href = form.dataset.checkUrl;
      link.className = "alert-link";
      link.textContent = msg("Check");
      box.appendChild(link);
    }
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    if (sending) {
      return;
    }
    sending = true;
    button.disabled = true;
    var token = cookie("csrftoken");
    var field = form.elements.namedItem("csrfmiddlewaretoken");
    if (token && field) {
      field.value = token;
    }
    fetch(form.action || window.location.href, {
      method: "POST",
      body: new FormData(form),
      credentials: "same-origin",
      headers: { Accept: "application/json", "X-Requested-With": "fetch", "X-CSRFToken": token || field.value },
    })
      .then(function (response) {
        var type = response.headers.get("Content-Type") || "";
        return type.indexOf("application/json") === -1 ? {} : response.json();
      })
      .catch(function () {
        return {};
      })
      .then(function (body) {
        if (body.redirect) {
          window.location.assign(body.redirect);
          return;
        }
        sending = false;
        button.disabled = false;
        if (body.status === "signed_out") {
          say(msg("Signedout"), false);
        } else if (body.status === "csrf") {
          say(body.message, false);
        } else {
          say(msg("Unknown"), true);
        }
      });
  });
})();
