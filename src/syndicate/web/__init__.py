"""The HTTP endpoints: partners pull their feeds (``feeds``, behind ``syndicate serve``) and
agencies push wire copy (``push``); both are thin shells over the store and the pipeline."""
