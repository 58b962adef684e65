/* fieldkiosk: focus and announcements around htmx swaps. No inline script anywhere (CSP). */
(function () {
  "use strict";

  function focusTarget() {
    var main = document.getElementById("main");
    if (!main) { return null; }
    return main.querySelector(".error-summary") || main.querySelector("h1");
  }

  // A swap of one region of the page (data-region, like the receipt's feedback) leaves
  // the rest as it was: focus goes to the region's error summary, or to its heading
  // (named by aria-labelledby), which the live region then says.
  function regionOf(element) {
    return element && element.closest ? element.closest("[data-region]") : null;
  }

  function announce(text) {
    var status = document.getElementById("status");
    if (status) { status.textContent = text; }
  }

  // After htmx swaps the question area: move focus to the error summary when there are
  // errors, otherwise to the new heading, and say the new page's title in the live region.
  // The banner is not swapped: point its controls (text size, contrast, language) at
  // the page the citizen is now on, so they come back here.
  function bannerFollows() {
    var here = window.location.pathname;
    document.querySelectorAll(".banner input[name='next']").forEach(function (input) {
      input.value = here;
    });
    var language = document.querySelector(".banner__language");
    if (language) { language.setAttribute("href", "/language?next=" + encodeURIComponent(here)); }
  }

  document.addEventListener("htmx:finally:swap", function (event) {
    var region = regionOf(event.target);
    if (region) {
      var summary = region.querySelector(".error-summary");
      var heading = document.getElementById(region.getAttribute("aria-labelledby") || "");
      if (summary || heading) { (summary || heading).focus(); }
      announce(summary || !heading ? document.title : heading.textContent);
      return;
    }
    var target = focusTarget();
    if (target) { target.focus(); }
    announce(document.title);
    bannerFollows();
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

  // Shared-kiosk privacy: after idle_seconds without a touch, ask "Do you need more
  // time?" and count down warning_seconds (WCAG 2.2.1); then finish, which wipes the
  // session. The server wipes an idle session too, for browsers without JavaScript.
  var idleTimer = null;
  var countdownTimer = null;

  function finish() {
    var form = document.getElementById("idle-finish");
    if (form) { form.submit(); }
  }

  function startCountdown() {
    var dialog = document.getElementById("idle-warning");
    var shown = document.getElementById("idle-countdown");
    if (!dialog || !shown || !dialog.showModal) { return; }
    var left = parseInt(document.body.getAttribute("data-warning-seconds"), 10) || 30;
    shown.textContent = String(left);
    dialog.showModal();
    document.getElementById("idle-more-time").focus();
    countdownTimer = window.setInterval(function () {
      left -= 1;
      shown.textContent = String(Math.max(left, 0));
      if (left <= 0) { window.clearInterval(countdownTimer); finish(); }
    }, 1000);
  }

  function stillHere() {
    var dialog = document.getElementById("idle-warning");
    if (dialog && dialog.open) { return; }
    window.clearTimeout(idleTimer);
    var seconds = parseInt(document.body.getAttribute("data-idle-seconds"), 10) || 120;
    idleTimer = window.setTimeout(startCountdown, seconds * 1000);
  }

  // Closing the warning by any means ("I need more time", or Escape, which closes a
  // modal dialog by itself) means "more time": stop the countdown, tell the server, and
  // start the idle timer again. The keydown of Escape came while the dialog was still
  // open, so stillHere() did nothing then; it runs here, once the dialog is closed.
  document.addEventListener("click", function (event) {
    if (event.target && event.target.id === "idle-more-time") {
      document.getElementById("idle-warning").close();
    }
  });
  document.addEventListener("DOMContentLoaded", function () {
    var dialog = document.getElementById("idle-warning");
    if (!dialog) { return; }
    dialog.addEventListener("close", function () {
      window.clearInterval(countdownTimer);
      fetch(window.location.href, {credentials: "same-origin"});  // the server sees you too
      stillHere();
    });
  });
  ["pointerdown", "keydown", "touchstart"].forEach(function (name) {
    document.addEventListener(name, stillHere, {passive: true});
  });
  document.addEventListener("DOMContentLoaded", stillHere);

  // A full page load with errors (JavaScript on, htmx not used): focus the summary too.
  document.addEventListener("DOMContentLoaded", function () {
    var summary = document.querySelector(".error-summary");
    if (summary) { summary.focus(); }
  });
}());
