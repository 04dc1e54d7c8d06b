/* The code page's "Send a new code": disabled for the minute after a code was sent (the page
   says until when, and works without this script after a reload); here it counts the seconds
   down and is enabled when they are over. */
(function () {
  "use strict";

  var form = document.querySelector("[data-resend-seconds]");
  if (!form) {
    return;
  }
  var seconds = parseInt(form.getAttribute("data-resend-seconds"), 10) || 0;
  var button = form.querySelector("button[type=submit]");
  var count = form.querySelector("[data-resend-count]");
  var wait = form.querySelector("[data-resend-wait]");

  function tick() {
    if (seconds <= 0) {
      button.disabled = false;
      if (wait) {
        wait.hidden = true;
      }
      return;
    }
    if (count) {
      count.textContent = String(seconds);
    }
    seconds -= 1;
    window.setTimeout(tick, 1000);
  }

  tick();
})();
