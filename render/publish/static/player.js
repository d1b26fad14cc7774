/* Gradient-descent animations you can pause and step through (README: output/player.js).
 * Each <figure class="gd-player" data-layouts data-timeline> holds the animation's
 * <picture> (the GIF without JavaScript; with it, the poster): this script adds Play/Pause,
 * Previous and Next step and a Step slider (its value text the frame's words), and shows
 * the video once it can, fetched whole as the player nears the screen; a frame is a seek.
 * The layout is the widest whose "min" the figure's room reaches (stills' too), swapped on
 * the same frame when it crosses one; the theme, the reader's system or the site's toggle.
 * Reduced motion: paused on the last frame. A link to #gd-step-N moves every player to
 * step N and says so politely. No framework, nothing fetched but the video. */
(function () {
  "use strict";
  // A site's own toggle: selectors true while it shows dark (data-dark) and light if it
  // can also follow the system (data-light, Furo's "auto"), matched on <html> and <body>
  // (not the toggle's <input>); when neither matches, the reader's system decides.
  var script = document.currentScript;
  var SITE_DARK = (script && script.getAttribute("data-dark")) || null;
  var SITE_LIGHT = (script && script.getAttribute("data-light")) || null;
  var DARK_QUERY = "(prefers-color-scheme: dark)";
  var system = window.matchMedia && window.matchMedia(DARK_QUERY);
  function shows(selector) {
    if (!selector) return false;
    try {
      return [document.documentElement, document.body].some(function (node) { return node && node.matches(selector); });
    } catch (e) { return false; }  // a selector the browser cannot read: as if absent
  }
  function siteSays() {  // true (dark), false (light), or null (the site leaves it to the system)
    if (shows(SITE_DARK)) return true;
    if (SITE_DARK && (!SITE_LIGHT || shows(SITE_LIGHT))) return false;
    return null;
  }
  function isDark() {
    var site = siteSays();
    return site === null ? !!(system && system.matches) : site;
  }
  var darkened = [];  // called when the reader's dark or light changes
  function onDarkChange(fn) { darkened.push(fn); }
  var was = null;
  function darkChanged() {
    var now = isDark();
    if (now === was) return;
    was = now;
    darkened.forEach(function (fn) { fn(); });
  }
  if (SITE_DARK && window.MutationObserver) {
    var watch = new MutationObserver(darkChanged);
    watch.observe(document.documentElement, {attributes: true});
    if (document.body) watch.observe(document.body, {attributes: true});
    document.addEventListener("DOMContentLoaded", function () {
      if (document.body) watch.observe(document.body, {attributes: true});
      darkChanged();
    });
  }
  if (system && system.addEventListener) system.addEventListener("change", darkChanged);
  // A figure's room: its parent's content width less its own margins, borders and
  // padding. Not its own width: a theme may fit it to its picture (Material), and a
  // narrow layout would keep it narrow. Auto margins (centring) take no room.
  function px(style, name) { return parseFloat(style.getPropertyValue(name)) || 0; }
  function room(figure) {
    var parent = figure.parentElement;
    if (!parent) return figure.clientWidth;
    var box = getComputedStyle(parent), own = getComputedStyle(figure);
    var typed = figure.computedStyleMap ? figure.computedStyleMap() : null;
    var width = parent.clientWidth - px(box, "padding-left") - px(box, "padding-right");
    ["left", "right"].forEach(function (side) {
      if (!typed || String(typed.get("margin-" + side)) !== "auto") width -= px(own, "margin-" + side);
      width -= px(own, "padding-" + side) + px(own, "border-" + side + "-width");
    });
    return width;
  }
  // Sources choose again by what media cannot see: a layout's "(max-width: ...)" (our
  // column's width by the screen's) by the room against <picture data-min>, a dark term
  // by the site's toggle: the term dropped where it holds, else the source "not all".
  var LAYOUT_TERM = /^\(max-width: \d+px\)$/;
  function fitSources() {
    var site = siteSays();
    Array.prototype.forEach.call(document.querySelectorAll("picture source[media]"), function (source) {
      var picture = source.parentNode;
      var min = Number(picture.getAttribute("data-min")) || 0;
      var media = source.getAttribute("data-media");
      if (media === null) {
        media = source.getAttribute("media");
        source.setAttribute("data-media", media);
      }
      var off = false;
      var rest = media.split(" and ").filter(function (part) {
        if (part === DARK_QUERY && site !== null) { off = off || !site; return false; }
        if (min && LAYOUT_TERM.test(part)) {
          off = off || room(picture.closest("figure") || picture) >= min;
          return false;
        }
        return true;
      });
      var now = off ? "not all" : rest.join(" and ") || "all";
      if (source.getAttribute("media") !== now) source.setAttribute("media", now);
    });
  }
  onDarkChange(fitSources);
  function watchRooms() {  // a column that changes width chooses again
    if (!window.ResizeObserver) return;
    var rooms = new ResizeObserver(fitSources), seen = [];
    Array.prototype.forEach.call(document.querySelectorAll("picture[data-min]"), function (picture) {
      var parent = (picture.closest("figure") || picture).parentElement;
      if (parent && seen.indexOf(parent) < 0) { seen.push(parent); rooms.observe(parent); }
    });
  }
  var CSS =
    ".gd-player{position:relative;margin:1rem 0}" +
    // inline, as the <img> it replaces: the same box, so nothing around it moves
    ".gd-player video{max-width:100%;height:auto}" +
    ".gd-controls{display:flex;flex-wrap:wrap;align-items:center;gap:.4rem;margin-top:.4rem;font:15px/1.3 system-ui,sans-serif}" +
    // the controls' own look, whatever the host page's stylesheet says of buttons
    ".gd-controls button{font:inherit;padding:.25rem .7rem;min-width:2.6rem;margin:0;border:1px solid;" +
    "border-radius:4px;background:transparent;color:inherit;cursor:pointer;line-height:1.3}" +
    ".gd-controls button:disabled{opacity:.6;cursor:default}" +
    // the numbers' table as a plain disclosure, where a theme styles <details> as a note
    ".gd-player details.gd-numbers,.gd-player details.gd-numbers>summary{all:revert}" +
    ".gd-player details.gd-numbers>summary::before,.gd-player details.gd-numbers>summary::after{content:none}" +
    ".gd-controls .gd-play{min-width:4.6em}" +  // Play and Pause alike: the slider never moves
    ".gd-controls input{flex:1 1 12rem}" +
    ".gd-controls output{flex:1 1 100%;font-variant-numeric:tabular-nums}" +
    ".gd-said{position:absolute;width:1px;height:1px;overflow:hidden;clip-path:inset(50%);white-space:nowrap}" +
    ".gd-player:focus-visible,.gd-controls button:focus-visible,.gd-controls input:focus-visible" +
    "{outline:3px solid #1f6fb4;outline-offset:2px}";

  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    Object.keys(attrs).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    if (text) e.textContent = text;
    return e;
  }

  function setup(figure) {
    var timeline = JSON.parse(figure.getAttribute("data-timeline"));
    var n = timeline.length, starts = [], t = 0;
    timeline.forEach(function (f) { starts.push(t); t += f.ms; });
    var img = figure.querySelector("img");
    var fallback = figure.querySelector("picture") || img;
    var layouts = JSON.parse(figure.getAttribute("data-layouts"));
    function fitting() {  // the widest layout this player's room reaches
      var width = room(figure);
      for (var k = 0; k < layouts.length; k++) if (width >= layouts[k].min) return layouts[k];
      return layouts[layouts.length - 1];
    }
    var layout = fitting();
    var video = el("video", {muted: "", playsinline: "", preload: "auto", width: String(layout.width),
                             height: String(layout.height), "aria-label": img.alt});
    video.muted = true;
    video.style.maxWidth = "100%";  // its proportions, whatever the host's stylesheet says of videos
    video.style.height = "auto";
    var play = el("button", {type: "button", "class": "gd-play", "aria-label": "Play"}, "Play");
    var prev = el("button", {type: "button", "aria-label": "Previous step"}, "\u2039");
    var next = el("button", {type: "button", "aria-label": "Next step"}, "\u203a");
    var slider = el("input", {type: "range", min: "0", max: String(n - 1), step: "1", value: "0",
                              "aria-label": "Step"});
    var words = el("output", {"aria-live": "off"});
    var controls = el("div", {"class": "gd-controls"});
    controls.style.maxWidth = layout.width + "px";  // as wide as the picture
    [play, prev, next, slider, words].forEach(function (c) { controls.appendChild(c); });
    [play, prev, next, slider].forEach(function (c) { c.disabled = true; });
    // what the poster shows, the last frame, in words and on the slider, until the video plays
    slider.value = String(n - 1);
    slider.setAttribute("aria-valuetext", timeline[n - 1].label);
    words.textContent = timeline[n - 1].label;
    video.hidden = true;  // until it can show a frame: the poster shows meanwhile
    figure.insertBefore(video, fallback);
    // The controls take their room before first paint (nothing below moves), disabled.
    figure.insertBefore(controls, fallback.nextSibling);
    // A captioned figure is named by its caption, and may take no other role (ARIA in
    // HTML); one without is a group named for what it is.
    if (!figure.querySelector("figcaption")) {
      figure.setAttribute("role", "group");
      figure.setAttribute("aria-label", "Animation player");
    }
    var i = n - 1, playing = false, timer = null, ready = false, wanted = null;

    function show(k) {
      i = (k + n) % n;
      if (ready) video.currentTime = (starts[i] + 1) / 1000;  // just inside frame i
      slider.value = String(i);
      slider.setAttribute("aria-valuetext", timeline[i].label);
      words.textContent = timeline[i].label;
    }
    function wait() {
      timer = setTimeout(function () { show(i + 1); wait(); }, timeline[i].ms);
    }
    function setPlaying(on) {
      playing = on;
      clearTimeout(timer);
      play.textContent = on ? "Pause" : "Play";
      play.setAttribute("aria-label", on ? "Pause" : "Play");
      if (on) wait();
    }
    function step(by) { setPlaying(false); show(i + by); }

    play.addEventListener("click", function () { setPlaying(!playing); });
    prev.addEventListener("click", function () { step(-1); });
    next.addEventListener("click", function () { step(1); });
    slider.addEventListener("input", function () { setPlaying(false); show(Number(slider.value)); });
    figure.addEventListener("keydown", function (e) {
      if (e.target.closest("details")) return;  // the table's summary keeps its keys
      var own = e.target === slider || e.target.tagName === "BUTTON";  // they keep theirs too
      if (e.key === " " && !own) { e.preventDefault(); setPlaying(!playing); }
      else if (e.key === "ArrowLeft" && e.target !== slider) { e.preventDefault(); step(-1); }
      else if (e.key === "ArrowRight" && e.target !== slider) { e.preventDefault(); step(1); }
    });
    video.addEventListener("loadeddata", function () {
      fallback.hidden = true;
      video.hidden = false;
      [play, prev, next, slider].forEach(function (c) { c.disabled = false; });
      figure.tabIndex = 0;
      ready = true;
      var still = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
      if (wanted !== null) still = true;  // a step link chose its frame before the video came
      show(wanted !== null ? wanted : still ? n - 1 : 0);
      setPlaying(!still);
      figure.setAttribute("data-ready", "");
    }, {once: true});
    // The reader's theme: the dark video while the system asks for it, switched in place.
    function source() {
      return (isDark() && layout.video.dark) || layout.video.light;
    }
    var loaded = null;  // the URL the video shows now
    function load(url) {
      loaded = url;
      video.setAttribute("data-src", url);  // which file plays (its src may be a blob: URL)
      // Over HTTP, fetched whole: without byte ranges (http.server) seeks would fail.
      if (!/^https?:$/.test(location.protocol) || !window.fetch || !window.URL) { video.src = url; return; }
      fetch(url).then(function (r) { if (!r.ok) throw new Error(r.status); return r.blob(); }).then(
        function (blob) { if (loaded === url) video.src = URL.createObjectURL(blob); },
        function () { if (loaded === url) video.src = url; });
    }
    function reload() {  // another video for the same frame: the reader's theme or layout changed
      if (loaded === null || loaded === source()) return;
      video.addEventListener("loadeddata", function () { show(i); }, {once: true});
      load(source());
    }
    onDarkChange(reload);
    // A breakpoint crossed swaps the video on the same frame (if it was fetched at all).
    if (window.ResizeObserver && figure.parentElement) new ResizeObserver(function () {
      var now = fitting();
      if (now === layout) return;
      layout = now;
      video.setAttribute("width", String(layout.width));
      video.setAttribute("height", String(layout.height));
      controls.style.maxWidth = layout.width + "px";
      reload();
    }).observe(figure.parentElement);
    // The video, the page's heaviest file: fetched after the page's pictures, and only
    // once the player comes within a screen of view.
    function nearby() {
      if (!window.IntersectionObserver) { load(source()); return; }
      var near = new IntersectionObserver(function (seen) {
        if (!seen.some(function (s) { return s.isIntersecting; })) return;
        near.disconnect();
        if (loaded === null) load(source());
      }, {rootMargin: "100% 0px"});
      near.observe(figure);
    }
    if (document.readyState === "complete") nearby();
    else window.addEventListener("load", nearby, {once: true});

    // A step link: the frame at that step, or the last one before it, paused; the video
    // is fetched now if it was not yet.
    function goto(target) {
      var k = 0;
      timeline.forEach(function (f, j) { if (f.step !== undefined && f.step <= target) k = j; });
      setPlaying(false);
      if (!ready) { wanted = k; if (loaded === null) load(source()); }
      show(k);
      return timeline[k].label;
    }
    return {goto: goto};
  }

  // A link to #gd-step-N moves every player to step N and says so in a live region.
  var STEP = /^#gd-step-(\d+)$/;
  function stepLinks(players) {
    if (!players.length) return;
    var said = el("div", {"class": "gd-said", "aria-live": "polite"});
    document.body.appendChild(said);
    function move(target) {
      var labels = players.map(function (p) { return p.goto(target); });
      said.textContent = "Moved " + (labels.length === 1 ? "the animation" : labels.length + " animations") +
        " to step " + target + ": " + labels.join("; ") + ".";
    }
    document.addEventListener("click", function (e) {
      var link = e.target.closest && e.target.closest("a[href]");
      var found = link && STEP.exec(link.getAttribute("href"));
      if (!found) return;
      e.preventDefault();
      move(Number(found[1]));
    });
    var shared = STEP.exec(location.hash);  // a link to the page at a step
    if (shared) move(Number(shared[1]));
  }

  function start() {
    var style = document.createElement("style");
    style.textContent = CSS;
    document.head.appendChild(style);
    fitSources();
    watchRooms();
    stepLinks(Array.prototype.map.call(document.querySelectorAll("figure.gd-player"), setup));
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
