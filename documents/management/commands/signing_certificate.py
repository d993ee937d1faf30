"""``manage.py signing_certificate``: make sure the document seal can sign, and say with what.

Without ``DOCUMENT_SIGNING_KEY`` / ``DOCUMENT_SIGNING_CERT`` it generates the self-signed pair
of the embedded default under ``VAR_DIR/signing/`` (``make run`` calls it); with them it
checks that the files load. ``--pem`` prints the certificate, to install it as trusted in a
PDF reader.
"""

from django.core.management.base import BaseCommand

from documents import signing


class Command(BaseCommand):
    help = "Prepare (or check) the key and certificate that seal issued PDFs."

    def add_arguments(self, parser):
        parser.add_argument("--pem", action="store_true", help="print the certificate (PEM)")

    def handle(self, *args, pem=False, **options):
        files = signing.configured_files()
        signer = signing.load_signer(files)
        if pem:
            self.stdout.write(signing.signing_certificate_pem().decode(), ending="")
            return
        subject = signer.signing_cert.subject.human_friendly
        self.stdout.write(f"Documents sealed with: {subject} ({files.cert})")
