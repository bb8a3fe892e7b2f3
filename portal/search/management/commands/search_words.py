"""`manage.py search_words`: print the segmenter's extra words, one per line.

Use it to keep a cluster's dictionary in step with the portal, e.g. as an IK custom dictionary:
`manage.py search_words > /usr/share/opensearch/config/analysis-ik/custom/portal.dic`.
"""

from django.core.management.base import BaseCommand

from portal.search.analysis import DOMAIN_WORDS, collect_words


class Command(BaseCommand):
    help = "Print the words added to the search segmenter (domain words and word sources)."

    def handle(self, **options):
        for word in sorted(set(DOMAIN_WORDS) | set(collect_words())):
            self.stdout.write(word)
