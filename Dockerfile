# The image every syndicate service in docker-compose.yml runs (workers, beat, push, feeds).
FROM python:3.11.14-slim-bookworm

# The uid the services run as: the owner of the bind-mounted ./inbox and ./out on the host
# (`SYNDICATE_UID=$(id -u) docker compose build` when yours is not 1000).
ARG SYNDICATE_UID=1000

RUN apt-get update \
 && apt-get install -y --no-install-recommends apertium apertium-eng-spa \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /srv/syndicate

# torch: the CPU-only build, installed before the project so that pip never fetches the default
# CUDA build (about 2 GB of nvidia-* wheels). Translating needs no torch at all: Argos models run
# on CTranslate2 and SentencePiece. But argostranslate requires stanza, which requires torch, and
# argostranslate's package installer (behind `syndicate models install`) imports its translate
# module, which imports stanza and torch; leaving torch out would break installing a model.
# The check after the install fails the build if a CUDA build got in anyway.
RUN pip install --no-cache-dir --index-url https://download.pytorch.org/whl/cpu torch==2.13.0 \
 && python -c "import torch, sys; sys.exit(torch.version.cuda and 'a CUDA build of torch got in')"

COPY pyproject.toml README.md ./
COPY src ./src
COPY configs ./configs
COPY workers ./workers
RUN pip install --no-cache-dir . \
 && python -c "import torch, sys; sys.exit(torch.version.cuda and 'a CUDA build of torch got in')"

RUN useradd --system --uid "$SYNDICATE_UID" --home /srv/syndicate syndicate \
 && mkdir -p var out inbox && chown syndicate var out inbox
USER syndicate
CMD ["syndicate", "worker", "--role", "all"]
