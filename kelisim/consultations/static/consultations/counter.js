// Live character counter for textareas with data-counter-max. Progressive enhancement: the server
// enforces the same limit, so without this script nothing is lost but the live feedback.
(function () {
  "use strict";
  function length(value) {
    // Count characters as the server does: code points, with browser line breaks as one character.
    return Array.from(value.replace(/\r\n/g, "\n").trim()).length;
  }
  function attach(textarea) {
    var max = parseInt(textarea.getAttribute("data-counter-max"), 10);
    var output = document.getElementById(textarea.getAttribute("data-counter-target"));
    if (!output || !max) return;
    var template = output.getAttribute("data-template") || "{count} / {max}";
    var overText = output.getAttribute("data-over") || "";
    function update() {
      var count = length(textarea.value);
      var text = template.replace("{count}", count).replace("{max}", max);
      if (count > max && overText) text += " — " + overText.replace("{over}", count - max);
      output.textContent = text;
      output.classList.toggle("is-over", count > max);
    }
    output.hidden = false;
    textarea.addEventListener("input", update);
    update();
  }
  function init() {
    document.querySelectorAll("textarea[data-counter-max]").forEach(attach);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
