// Optional conveniences; every page works without JavaScript.
(function () {
  "use strict";
  // Ctrl+Enter (or Cmd+Enter) in the SPARQL editor submits its form.
  var editor = document.getElementById("query");
  if (editor && editor.tagName === "TEXTAREA") {
    editor.addEventListener("keydown", function (event) {
      if (event.key === "Enter" && (event.ctrlKey || event.metaKey) && editor.form) {
        event.preventDefault();
        if (editor.form.requestSubmit) { editor.form.requestSubmit(); } else { editor.form.submit(); }
      }
    });
  }
})();
