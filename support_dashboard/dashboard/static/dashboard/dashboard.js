// Shows server-rendered <dialog data-modal> elements as modals and wires the
// buttons that reopen them. A dialog is rendered with `open`, so it is visible
// even when this script does not run.
htmx.onLoad(function (root) {
  root.querySelectorAll("dialog[data-modal][open]").forEach(function (dialog) {
    dialog.close();
    dialog.showModal();
  });
  root.querySelectorAll("[data-open-dialog]").forEach(function (button) {
    button.addEventListener("click", function () {
      document.getElementById(button.dataset.openDialog).showModal();
    });
  });
});
