// Drag and drop onto the upload zone of a client's page: the dropped files become the form's
// files (the same <input type="file"> a click fills), and the zone lists what will be sent.
document.addEventListener("DOMContentLoaded", () => {
  for (const zone of document.querySelectorAll("label.drop")) {
    const input = zone.querySelector("input[type=file]");
    const list = zone.querySelector(".chosen");
    const show = () => {
      list.textContent = Array.from(input.files, (f) => f.name).join(", ");
    };
    for (const name of ["dragenter", "dragover"]) {
      zone.addEventListener(name, (event) => {
        event.preventDefault();
        zone.classList.add("over");
      });
    }
    zone.addEventListener("dragleave", () => zone.classList.remove("over"));
    zone.addEventListener("drop", (event) => {
      event.preventDefault();
      zone.classList.remove("over");
      if (event.dataTransfer && event.dataTransfer.files.length) {
        input.files = event.dataTransfer.files;
        show();
      }
    });
    input.addEventListener("change", show);
  }
});
