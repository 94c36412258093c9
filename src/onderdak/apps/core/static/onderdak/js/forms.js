// After a form was sent back with errors, move the focus to the error summary, so that a
// screen reader reads it and a keyboard user starts there (the page itself works without this).
document.addEventListener("DOMContentLoaded", function () {
  var summary = document.querySelector(
    ".utrecht-alert--error[role=alert]:has(+ form), form .utrecht-alert--error[role=alert]"
  );
  if (!summary) { return; }
  if (!summary.hasAttribute("tabindex")) { summary.setAttribute("tabindex", "-1"); }
  summary.focus({ preventScroll: false });
});
