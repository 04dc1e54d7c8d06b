// The gate's camera scanner: reads ticket QR codes with the phone's rear camera and submits
// each one through the page's own form, as if typed (htmx catches the submit).
//
// The page carries (words from the template, this file has none):
//   <button type="button" id="scanner-start" hidden data-label-stop="…">…</button>
//   <div id="scanner" hidden data-scanner-target="#scan-input"
//        data-scanner-wasm="{% static 'vendor/zxing-wasm/zxing_reader.wasm' %}"
//        data-label-error="…"></div>
// after <script src="{% static 'vendor/zxing-wasm/index.js' %}">, the QR reader from npm
// (global ZXingWASM), and its view decorated with laurel.events.scanner.scanner_page.
// Without a camera API, a secure context or the reader, both stay hidden: the typed code
// and a keyboard-wedge scanner work as before.
(function () {
  "use strict";

  var FRAME_INTERVAL_MS = 150; // between two decoded frames
  var SAME_CODE_PAUSE_MS = 1000; // one code seen again within this is not sent again

  function cameraUsable() {
    return (
      window.isSecureContext &&
      !!navigator.mediaDevices &&
      typeof navigator.mediaDevices.getUserMedia === "function" &&
      typeof window.ZXingWASM === "object"
    );
  }

  function Scanner(panel, button) {
    this.panel = panel;
    this.button = button;
    this.startLabel = button.textContent;
    this.stream = null;
    this.video = null;
    this.canvas = document.createElement("canvas");
    this.timer = null;
    this.lastText = null;
    this.lastSeenAt = 0;
  }

  Scanner.prototype.running = function () {
    return this.stream !== null;
  };

  Scanner.prototype.start = function () {
    var self = this;
    self.clearMessage();
    navigator.mediaDevices
      .getUserMedia({ video: { facingMode: { ideal: "environment" } }, audio: false })
      .then(function (stream) {
        self.stream = stream;
        self.video = document.createElement("video");
        self.video.setAttribute("playsinline", "");
        self.video.muted = true;
        self.video.srcObject = stream;
        self.panel.appendChild(self.video);
        self.button.textContent = self.button.dataset.labelStop || self.startLabel;
        self.button.setAttribute("aria-pressed", "true");
        return self.video.play();
      })
      .then(function () {
        self.schedule();
      })
      .catch(function () {
        self.stop();
        self.showMessage(self.panel.dataset.labelError || "");
      });
  };

  Scanner.prototype.stop = function () {
    window.clearTimeout(this.timer);
    this.timer = null;
    if (this.stream) {
      this.stream.getTracks().forEach(function (track) {
        track.stop();
      });
    }
    this.stream = null;
    if (this.video) {
      this.video.remove();
    }
    this.video = null;
    this.button.textContent = this.startLabel;
    this.button.setAttribute("aria-pressed", "false");
  };

  Scanner.prototype.schedule = function () {
    var self = this;
    if (!self.running()) {
      return;
    }
    self.timer = window.setTimeout(function () {
      self.readFrame().then(function () {
        self.schedule();
      });
    }, FRAME_INTERVAL_MS);
  };

  Scanner.prototype.readFrame = function () {
    var self = this;
    var video = self.video;
    if (!video || video.readyState < 2 || !video.videoWidth) {
      return Promise.resolve();
    }
    self.canvas.width = video.videoWidth;
    self.canvas.height = video.videoHeight;
    var context = self.canvas.getContext("2d", { willReadFrequently: true });
    context.drawImage(video, 0, 0);
    var frame = context.getImageData(0, 0, self.canvas.width, self.canvas.height);
    return window.ZXingWASM.readBarcodes(frame, { formats: ["QRCode"], maxNumberOfSymbols: 1 })
      .then(function (results) {
        var found = results.filter(function (result) {
          return result.isValid && result.text;
        });
        if (found.length) {
          self.decoded(found[0].text);
        }
      })
      .catch(function () {
        // an unreadable frame: the next one will do
      });
  };

  // A code held in front of the camera is sent once: the same text again is sent only after
  // it has been out of sight for SAME_CODE_PAUSE_MS.
  Scanner.prototype.decoded = function (text) {
    var now = Date.now();
    var repeated = text === this.lastText && now - this.lastSeenAt < SAME_CODE_PAUSE_MS;
    this.lastText = text;
    this.lastSeenAt = now;
    if (repeated) {
      return;
    }
    var input = document.querySelector(this.panel.dataset.scannerTarget);
    if (!input || !input.form) {
      return;
    }
    input.value = text;
    input.form.requestSubmit();
  };

  Scanner.prototype.showMessage = function (text) {
    this.clearMessage();
    if (!text) {
      return;
    }
    var message = document.createElement("p");
    message.className = "scanner-message";
    message.setAttribute("role", "alert");
    message.textContent = text;
    this.panel.appendChild(message);
  };

  Scanner.prototype.clearMessage = function () {
    this.panel.querySelectorAll(".scanner-message").forEach(function (message) {
      message.remove();
    });
  };

  function setUp() {
    var panel = document.getElementById("scanner");
    var button = document.getElementById("scanner-start");
    if (!panel || !button || !cameraUsable()) {
      return;
    }
    var wasmUrl = panel.dataset.scannerWasm;
    window.ZXingWASM.prepareZXingModule({
      overrides: {
        // the WebAssembly from our own static files, never the library's default CDN
        locateFile: function (path, prefix) {
          return path.endsWith(".wasm") ? wasmUrl : prefix + path;
        },
      },
    });
    var scanner = new Scanner(panel, button);
    panel.hidden = false;
    button.hidden = false;
    button.setAttribute("aria-pressed", "false");
    button.addEventListener("click", function () {
      if (scanner.running()) {
        scanner.stop();
      } else {
        scanner.start();
      }
    });
    // the camera is let go when the page is left or hidden
    window.addEventListener("pagehide", function () {
      scanner.stop();
    });
    document.addEventListener("visibilitychange", function () {
      if (document.hidden) {
        scanner.stop();
      }
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUp);
  } else {
    setUp();
  }
})();
