// Shows the weighted score live while a reviewer picks scores. The page works without it:
// the server computes and stores the weighted score on save.
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    var form = document.querySelector("form.review-form[data-criteria-weights]");
    if (!form) { return; }
    var weights = {};
    form.dataset.criteriaWeights.split(",").forEach(function (pair) {
      var parts = pair.split(":");
      if (parts.length === 2) { weights["criterion_" + parts[0]] = Number(parts[1]); }
    });
    var output = form.querySelector("[data-weighted-score]");
    var box = form.querySelector(".review-live-score");
    function update() {
      var total = 0, weightSum = 0, complete = true;
      Object.keys(weights).forEach(function (name) {
        var checked = form.querySelector('input[name="' + name + '"]:checked');
        if (checked) {
          total += weights[name] * Number(checked.value);
          weightSum += weights[name];
        } else {
          complete = false;
        }
      });
      output.textContent = weightSum ? (total / weightSum).toFixed(2) + (complete ? "" : " …") : "—";
    }
    box.hidden = false;
    form.addEventListener("change", update);
    update();
  });
})();
