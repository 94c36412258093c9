/* Show the value of every weight slider next to it while it moves (the ranking itself is
 * refreshed by htmx on change). */
(function () {
  "use strict";
  document.addEventListener("input", function (event) {
    var input = event.target;
    if (input && input.type === "range") {
      var output = document.querySelector("output[for='" + input.id + "']");
      if (output) { output.textContent = input.value; }
    }
  });
})();
