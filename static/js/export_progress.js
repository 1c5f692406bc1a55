// Polls a background export's status and shows its progress; offers the download when ready.
(function () {
  "use strict";
  function start() {
    var panel = document.getElementById("export-job-panel");
    if (!panel) return;
    var url = panel.dataset.statusUrl;
    var bar = document.getElementById("export-progress");
    var status = document.getElementById("export-status");
    var rowsText = document.getElementById("export-rows");
    function poll() {
      fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) { return response.json(); })
        .then(function (job) {
          bar.value = job.percent;
          bar.textContent = job.percent + "%";
          status.textContent = job.status_label;
          rowsText.textContent = job.done + " / " + job.total;
          if (job.status === "done") {
            document.getElementById("export-download-link").href = job.download_url;
            document.getElementById("export-download").hidden = false;
          } else if (job.status === "failed") {
            document.getElementById("export-error-text").textContent = job.error;
            document.getElementById("export-error").hidden = false;
          } else {
            window.setTimeout(poll, 1500);
          }
        })
        .catch(function () { window.setTimeout(poll, 5000); });
    }
    if (panel.dataset.status !== "done" && panel.dataset.status !== "failed") poll();
  }
  document.addEventListener("DOMContentLoaded", start);
})();
