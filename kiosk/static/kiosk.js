/* fieldkiosk: focus and announcements around htmx swaps. No inline script anywhere (CSP). */
(function () {
  "use strict";

  function focusTarget() {
    var main = document.getElementById("main");
    if (!main) { return null; }
    return main.querySelector(".error-summary") || main.querySelector("h1");
  }

  function announce(text) {
    var status = document.getElementById("status");
    if (status) { status.textContent = text; }
  }

  // After htmx swaps the question area: move focus to the error summary when there are
  // errors, otherwise to the new heading, and say the new page's title in the live region.
  document.addEventListener("htmx:finally:swap", function () {
    var target = focusTarget();
    if (target) { target.focus(); }
    announce(document.title);
  });

  // Read aloud: play the question's audio in the page instead of opening it (without
  // JavaScript the link opens the audio, which the browser plays by itself).
  document.addEventListener("click", function (event) {
    var link = event.target.closest ? event.target.closest("a[data-audio]") : null;
    if (!link) { return; }
    event.preventDefault();
    var audio = new Audio(link.getAttribute("href"));
    audio.play().catch(function () { announce(link.getAttribute("data-failed") || ""); });
  });

  // A full page load with errors (JavaScript on, htmx not used): focus the summary too.
  document.addEventListener("DOMContentLoaded", function () {
    var summary = document.querySelector(".error-summary");
    if (summary) { summary.focus(); }
  });
}());
