// The gate page: after each answer, the scan input is cleared and focused again for the next
// ticket, and a short tone says the verdict — high for let in, low for refused — read from
// the result's data-result attribute (the Web Audio API; no sound file, no inline script).
(function () {
  "use strict";

  var audio = null;

  function beep(ok) {
    var AudioContext = window.AudioContext || window.webkitAudioContext;
    if (!AudioContext) {
      return;
    }
    audio = audio || new AudioContext();
    var oscillator = audio.createOscillator();
    var gain = audio.createGain();
    oscillator.type = ok ? "sine" : "square";
    oscillator.frequency.value = ok ? 1320 : 220;
    gain.gain.value = 0.2;
    oscillator.connect(gain);
    gain.connect(audio.destination);
    oscillator.start();
    oscillator.stop(audio.currentTime + (ok ? 0.15 : 0.45));
  }

  function answered() {
    var result = document.getElementById("scan-result");
    var input = document.getElementById("scan-input");
    if (input) {
      input.value = "";
      input.focus();
    }
    if (result && result.dataset.result) {
      beep(result.dataset.result === "ok");
    }
  }

  // an answer given on the device itself, without the network (gate_offline.js)
  document.addEventListener("gate:answered", answered);
  document.addEventListener("htmx:afterSettle", function (event) {
    if (event.target && event.target.id === "scan-result") {
      answered();
    }
  });
  // a page answered without htmx (no JavaScript then, or a lost ticket, a walk-in)
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", answered);
  } else {
    answered();
  }
})();
