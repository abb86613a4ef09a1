/* Copy buttons: <button data-copy="ID" data-copied="Copied"> copies the text of the element
   with that id (a new API token, shown once) and says so on the button for a moment. The
   Clipboard API where the page is a secure context (https, localhost); else the text is
   selected and copied the old way. No inline code: what the Content-Security-Policy allows. */
(function () {
  "use strict";

  function selectText(element) {
    var range = document.createRange();
    range.selectNodeContents(element);
    var selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
  }

  function said(button) {
    if (!button.dataset.label) button.dataset.label = button.textContent;
    button.textContent = button.dataset.copied || button.dataset.label;
    window.setTimeout(function () {
      button.textContent = button.dataset.label;
    }, 2000);
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("button[data-copy]");
    if (!button) return;
    var source = document.getElementById(button.dataset.copy);
    if (!source) return;
    var text = source.textContent;
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(
        function () {
          said(button);
        },
        function () {
          selectText(source);
        }
      );
      return;
    }
    selectText(source);
    try {
      if (document.execCommand("copy")) said(button);
    } catch (error) {
      /* left selected: the user copies it with the keyboard */
    }
  });
})();
