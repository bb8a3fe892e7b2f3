"""The admin's document form (WAGTAILDOCS_DOCUMENT_FORM_BASE): a file with an unmasked ID or
mobile number is refused when it is uploaded or replaced, with the place in the file named.

Wagtail builds its add, edit, chooser-upload and multiple-upload forms from this base, so every
way an editor can put a file on the site goes through the check.
"""

from wagtail.documents.forms import BaseDocumentForm

from .personal_data import uploaded_file_error


class CheckedDocumentForm(BaseDocumentForm):
    def clean(self):
        cleaned_data = super().clean()
        uploaded = cleaned_data.get("file")
        if uploaded and "file" in self.changed_data:

            def read_bytes():
                uploaded.seek(0)
                try:
                    return uploaded.read()
                finally:
                    uploaded.seek(0)

            message = uploaded_file_error(uploaded.name, read_bytes)
            if message:
                self.add_error("file", message)
        return cleaned_data
