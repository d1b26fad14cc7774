// The catalogue's copy buttons: the clipboard API where the browser allows it (it may not
// for a file:// page), else by selecting a text area; either way the text also lands in
// the "copied" box.
function copySnippet(button) {
  var text = document.getElementById(button.dataset.snippet).textContent;
  var box = document.getElementById('copied');
  box.value = text;
  function fallback() { box.select(); try { document.execCommand('copy'); } catch (e) {} }
  if (navigator.clipboard && window.isSecureContext) {
    navigator.clipboard.writeText(text).then(function () { button.textContent = 'Copied'; }, fallback);
  } else { fallback(); button.textContent = 'Copied'; }
}
