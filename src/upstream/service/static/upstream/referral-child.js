// The referral form: show the "If the person is under 18" section only when the date of birth
// typed makes the person a child. A convenience: the server checks the rule whatever is shown,
// and without JavaScript the section is always shown.
const section = document.getElementById("child-section");
const parts = ["day", "month", "year"].map(
  (part) => document.querySelector(`[name="date_of_birth[${part}]"]`),
);

function typedDate() {
  const [day, month, year] = parts.map((input) => parseInt(input && input.value, 10));
  if (!day || !month || !year || year < 1000) return null;
  const date = new Date(year, month - 1, day);
  return date.getMonth() === month - 1 ? date : null;
}

function isChild(born) {
  const today = new Date();
  let age = today.getFullYear() - born.getFullYear();
  const before = today.getMonth() < born.getMonth()
    || (today.getMonth() === born.getMonth() && today.getDate() < born.getDate());
  if (before) age -= 1;
  return age < 18;
}

function update() {
  const born = typedDate();
  const child = section.dataset.child === "yes" || (born !== null && isChild(born));
  section.hidden = !child;
}

if (section && parts.every(Boolean)) {
  parts.forEach((input) => input.addEventListener("input", update));
  update();
}
