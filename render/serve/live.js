// The live preview's half in the page. `make serve` adds it to every page as it sends it
// (the files on disk never hold it). It hears of each rebuild over server-sent events,
// reloads the page when a file the page shows has changed (and only then), and shows a
// failed build's error lines over the last good pictures until a build succeeds.
(() => {
  'use strict';
  const me = document.currentScript;
  // The page says how it looks (its theme, its width): a rebuild draws what open pages
  // show first, and tells them, then the rest.
  const dark = window.matchMedia('(prefers-color-scheme: dark)').matches ? 1 : 0;
  const stream = new EventSource(`/__live__/events?build=${me.dataset.build}&instance=${me.dataset.instance}` +
                                 `&dark=${dark}&width=${window.innerWidth}`);
  // For whoever is watching (the tests, a curious maintainer): the last build heard of.
  const state = (window.gdLive = { build: Number(me.dataset.build), heard: 0, errors: [], reloading: false });

  const file = (url) => {
    const path = decodeURIComponent(new URL(url, location.href).pathname);
    return path.endsWith('/') ? `${path}index.html` : path;
  };

  // Every file the page shows: itself, its pictures (each srcset candidate, every theme
  // and layout), the players' videos and posters (data-layouts), its scripts. A link to
  // another file is not shown.
  const shown = () => {
    const files = new Set([file(location.href)]);
    const tagged = 'img, source, video, script[src], link[rel="stylesheet"], [data-layouts]';
    for (const element of document.querySelectorAll(tagged)) {
      for (const name of ['src', 'href', 'poster']) {
        const url = element.getAttribute(name);
        if (url) files.add(file(url));
      }
      for (const candidate of (element.getAttribute('srcset') || '').split(',')) {
        const url = candidate.trim().split(/\s+/)[0];
        if (url) files.add(file(url));
      }
      for (const layout of JSON.parse(element.getAttribute('data-layouts') || '[]')) {
        for (const url of [...Object.values(layout.video), ...Object.values(layout.poster)]) files.add(file(url));
      }
    }
    return files;
  };

  let box = null;
  const showErrors = (lines) => {
    if (!lines.length) {
      if (box) box.remove();
      box = null;
      return;
    }
    if (!box) {
      box = document.createElement('section');
      box.id = 'gd-live-errors';
      box.setAttribute('role', 'alert');
      box.setAttribute('aria-label', 'The last build failed');
      const style = document.createElement('style');
      style.textContent = `
#gd-live-errors { position: fixed; inset: 0 0 auto 0; z-index: 2147483647; max-height: 45vh; overflow: auto;
  margin: 0; padding: 0.6rem 1rem; font: 14px/1.45 system-ui, sans-serif; background: #fff4f4; color: #3d0000;
  border-bottom: 4px solid #b00020; box-shadow: 0 2px 8px rgb(0 0 0 / 0.25); }
#gd-live-errors h2 { font-size: 1rem; margin: 0 0 0.3rem; }
#gd-live-errors pre { margin: 0; white-space: pre-wrap; overflow-wrap: anywhere; font: 13px/1.45 ui-monospace, monospace; }
@media (prefers-color-scheme: dark) {
  #gd-live-errors { background: #2b0b0b; color: #ffd9d9; border-color: #ff6b7f; }
}`;
      box.append(style, document.createElement('h2'), document.createElement('pre'));
      document.body.append(box);
    }
    box.querySelector('h2').textContent = 'The last build failed. The pictures are from the last good build.';
    box.querySelector('pre').textContent = lines.join('\n');
  };

  stream.addEventListener('build', (event) => {
    const news = JSON.parse(event.data);
    state.build = news.build;
    state.heard += 1;
    state.errors = news.errors;
    showErrors(news.errors);
    const mine = shown();
    if (news.reload || news.changed.some((changed) => mine.has(changed))) {
      state.reloading = true;
      stream.close();
      location.reload();
    }
  });
})();
