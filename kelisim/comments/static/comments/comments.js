// Live character counter for comment fields: progressive enhancement, the server enforces the limit.
// Counts what the server counts: the text trimmed, line ends as one character, by code point.
(function () {
  "use strict";
  function format(template, values) {
    return template.replace(/\{(\w+)\}/g, function (_match, key) { return String(values[key]); });
  }
  function attach(counter) {
    var field = document.getElementById(counter.getAttribute("data-counter-for"));
    if (!field || field.dataset.counterAttached) { return; }
    field.dataset.counterAttached = "1";
    var max = parseInt(field.getAttribute("data-max-length"), 10) || 1500;
    counter.setAttribute("aria-live", "polite");
    var wasOver = false;
    function update() {
      var count = Array.from(field.value.replace(/\r\n?/g, "\n").trim()).length;
      var over = count > max;
      counter.textContent = over
        ? format(counter.getAttribute("data-over"), { count: count, max: max })
        : format(counter.getAttribute("data-template"), { count: count, max: max });
      counter.classList.toggle("char-counter-over", over);
      if (over) { field.setAttribute("aria-invalid", "true"); } else if (wasOver) { field.setAttribute("aria-invalid", "false"); }
      wasOver = over;
    }
    field.addEventListener("input", update);
    update();
  }
  function init(root) {
    (root || document).querySelectorAll("[data-counter-for]").forEach(attach);
  }
  document.addEventListener("DOMContentLoaded", function () { init(document); });
  document.addEventListener("htmx:afterSwap", function (event) { init(event.target); });
})();
