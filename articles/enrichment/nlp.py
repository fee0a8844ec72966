"""The spaCy pipeline, loaded once per process; the model name is a setting."""
from functools import lru_cache

import spacy
from django.conf import settings


@lru_cache(maxsize=1)
def get_nlp():
    # The lemmatizer is not used by entity extraction; skipping it saves time.
    return spacy.load(settings.SPACY_MODEL, exclude=["lemmatizer"])
