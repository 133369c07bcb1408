# The image every syndicate service in docker-compose.yml runs (workers, beat, push, feeds).
FROM python:3.11-slim-bookworm
RUN apt-get update \
 && apt-get install -y --no-install-recommends apertium apertium-eng-spa \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /srv/syndicate
COPY pyproject.toml README.md ./
COPY src ./src
COPY configs ./configs
COPY workers ./workers
RUN pip install --no-cache-dir .
RUN useradd --system --home /srv/syndicate syndicate && mkdir -p var out && chown syndicate var out
USER syndicate
CMD ["syndicate", "worker", "--role", "all"]
