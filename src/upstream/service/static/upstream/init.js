// Start the NHS.UK frontend components (header menu, skip link, radios, checkboxes...).
import { initAll } from "../nhsuk/nhsuk-frontend.min.js";

initAll();
