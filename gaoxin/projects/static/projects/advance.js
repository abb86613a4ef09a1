// Terminating a project is asked twice: the form says so before it is sent.
document.addEventListener("submit", function (event) {
  var form = event.target;
  var stage = form.querySelector("select[name=to_stage]");
  var button = form.querySelector("[data-confirm-terminate]");
  if (!stage || !button || stage.value !== "terminated") return;
  if (!window.confirm(button.getAttribute("data-confirm-terminate"))) event.preventDefault();
});
