# Baseline for bench/image: an IDA Dockerfile in the style IDAs used in 2024, adapted to
# the same base image as ours (python:3.11-slim-bookworm instead of ubuntu + a PPA):
# one stage, build tools kept in the image, pip cache kept, code owned by the app user,
# shell-form CMD. Written for the examples/minicreds service (mysqlclient needs the MySQL
# client headers, as the IDAs' own Dockerfiles installed them).
FROM python:3.11-slim-bookworm

RUN apt-get update && \
    apt-get install -y locales gettext git build-essential pkg-config default-libmysqlclient-dev wget unzip -qy && \
    rm -rf /var/lib/apt/lists/*

ENV VIRTUAL_ENV=/edx/app/minicreds/venvs/minicreds
RUN python3 -m venv $VIRTUAL_ENV
ENV PATH="$VIRTUAL_ENV/bin:$PATH"

ENV DJANGO_SETTINGS_MODULE minicreds.settings.production
ENV MINICREDS_CFG /edx/etc/minicreds.yml

EXPOSE 18150
RUN useradd -m --shell /bin/false app

WORKDIR /edx/app/minicreds/minicreds

COPY requirements/production.txt /edx/app/minicreds/minicreds/requirements/production.txt
COPY requirements/base.txt /edx/app/minicreds/minicreds/requirements/base.txt
COPY requirements/pip.txt /edx/app/minicreds/minicreds/requirements/pip.txt

RUN pip install -r requirements/pip.txt
RUN pip install -r requirements/production.txt

RUN mkdir -p /edx/var/log

COPY . /edx/app/minicreds/minicreds

RUN chown -R app:app /edx/app/minicreds/minicreds

USER app

CMD gunicorn --workers=2 --name minicreds -c /edx/app/minicreds/minicreds/minicreds/docker_gunicorn_configuration.py --log-file - --max-requests=1000 minicreds.wsgi:application
