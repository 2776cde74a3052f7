// The live character counter of every limited text field (consultations, comments, funding): one script.
//
// Markup: the field has data-counter-max="1500" and data-counter-target="<id of the counter element>";
// the counter element has data-template ("{count} of {max} characters") and data-over (shown instead once
// the text is too long; {count}, {max} and {over} are filled in). The counter's own content, if any, is
// what readers without JavaScript see; the script shows the element (it may start hidden) and keeps it
// up to date. Progressive enhancement: the server enforces the same limit and counts the same way
// (trimmed, a line break as one character, by code point), so without this script only the live
// feedback is lost. Style: .char-counter and .char-counter.is-over in core/kelisim.css.
(function () {
  "use strict";
  if (window.kelisimCounter) { return; }  // included twice on one page: attach once
  window.kelisimCounter = true;

  function length(value) {
    return Array.from(value.replace(/\r\n?/g, "\n").trim()).length;
  }
  function format(template, values) {
    return template.replace(/\{(\w+)\}/g, function (match, key) {
      return Object.prototype.hasOwnProperty.call(values, key) ? String(values[key]) : match;
    });
  }
  function attach(field) {
    if (field.dataset.counterAttached) { return; }
    var max = parseInt(field.getAttribute("data-counter-max"), 10);
    var output = document.getElementById(field.getAttribute("data-counter-target"));
    if (!output || !max) { return; }
    field.dataset.counterAttached = "1";
    var template = output.getAttribute("data-template") || "{count} / {max}";
    var overTemplate = output.getAttribute("data-over") || template;
    var wasOver = false;
    function update() {
      var count = length(field.value);
      var over = count > max;
      output.textContent = format(over ? overTemplate : template, { count: count, max: max, over: count - max });
      output.classList.toggle("is-over", over);
      // Only the counter's own verdict is undone: a server error on the field stays until the page reloads.
      if (over) { field.setAttribute("aria-invalid", "true"); } else if (wasOver) { field.setAttribute("aria-invalid", "false"); }
      wasOver = over;
    }
    output.hidden = false;
    output.setAttribute("aria-live", "polite");
    field.addEventListener("input", update);
    update();
  }
  function init() {
    document.querySelectorAll("[data-counter-max][data-counter-target]").forEach(attach);
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", init); } else { init(); }
  // Forms that htmx brings in later (a reply form, a refused form sent back) get their counter too.
  document.addEventListener("htmx:afterSettle", init);
})();
