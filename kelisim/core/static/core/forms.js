// A form sent back with problems shows its error summary (core/includes/error_summary.html) at the top:
// move the focus there so that keyboard and screen-reader users start from the list of what to correct,
// each line a link to its field. The same after htmx swaps a form in place.
(function () {
  function focusSummary(root) {
    var summary = (root || document).querySelector("[data-error-summary]");
    if (summary) summary.focus();
  }
  document.addEventListener("DOMContentLoaded", function () { focusSummary(document); });
  document.addEventListener("htmx:afterSettle", function (event) { focusSummary(event.target); });
})();
