// The episode player: native HLS where the browser has it, else the installed video.js; quality menu, time, keys.
(function () {
  "use strict";
  var video = document.getElementById("player");
  if (!video) return;
  var select = document.getElementById("quality");
  var output = document.getElementById("time");
  var section = video.closest(".player");
  var hls = video.getAttribute("data-hls");
  var nativeHLS = video.canPlayType("application/vnd.apple.mpegurl") !== "";
  var vjs = null;

  if (!nativeHLS && window.videojs) {
    video.classList.add("video-js", "vjs-fluid", "vjs-big-play-centered");
    vjs = window.videojs(video, { html5: { vhs: { overrideNative: true }, nativeAudioTracks: false, nativeVideoTracks: false } });
    video = vjs.tech({ IWillNotUseThisInPlugins: true }).el();
  }
  section.setAttribute("data-engine", vjs ? "videojs" : nativeHLS ? "native" : "none");
  if (!vjs && !nativeHLS) {
    var note = document.createElement("p");
    note.className = "alert";
    note.textContent = "This browser cannot play HLS video.";
    section.appendChild(note);
  }

  function load(url, at, resume) {
    var seek = function () {
      if (at > 0) video.currentTime = at;
      if (resume) video.play();
    };
    video.addEventListener("loadedmetadata", seek, { once: true });
    if (vjs) vjs.src({ src: url, type: "application/x-mpegURL" });
    else video.src = url;
  }

  function clock(seconds) {
    if (!isFinite(seconds)) return "0:00";
    var total = Math.floor(seconds), h = Math.floor(total / 3600), m = Math.floor(total / 60) % 60, s = total % 60;
    var mm = h > 0 && m < 10 ? "0" + m : String(m);
    return (h > 0 ? h + ":" : "") + mm + ":" + (s < 10 ? "0" : "") + s;
  }

  function tick() {
    output.textContent = clock(video.currentTime) + " / " + clock(video.duration);
  }

  ["timeupdate", "durationchange", "seeked", "loadedmetadata"].forEach(function (name) {
    video.addEventListener(name, tick);
  });

  select.addEventListener("change", function () {
    load(select.value, video.currentTime, !video.paused);
  });

  // Keys while focus is in the player: Space/K play or pause, ←/→ 5 s, M mute, F full screen.
  section.addEventListener("keydown", function (event) {
    if (event.target === select || event.altKey || event.ctrlKey || event.metaKey) return;
    var handled = true;
    switch (event.key) {
      case " ": case "k": case "K": if (video.paused) video.play(); else video.pause(); break;
      case "ArrowLeft": video.currentTime = Math.max(0, video.currentTime - 5); break;
      case "ArrowRight": video.currentTime = Math.min(video.duration || Infinity, video.currentTime + 5); break;
      case "m": case "M": video.muted = !video.muted; break;
      case "f": case "F":
        if (document.fullscreenElement) document.exitFullscreen();
        else (vjs ? vjs.el() : video).requestFullscreen();
        break;
      default: handled = false;
    }
    if (handled) event.preventDefault();
  });

  load(hls, 0, false);
})();
