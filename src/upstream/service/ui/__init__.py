"""The one presentation layer of the service: status tags and their colours (``tags``), the
error summary built from Django forms (``errors``), the header navigation per role (``nav``),
dates, times and numbers as NHS.UK pages write them (``format``), and the form-field macros
(``jinja2/ui/fields.jinja``). Apps' presenters map their domain onto these; they do not make
their own. Not a Django app: no models, no migrations."""
