# The course in a container: JupyterLab on port 8888 (and TensorBoard, see compose.yaml), offline
# once built. Build and start everything with `docker compose up --build` (README: "With Docker").
FROM python:3.11.14-slim-bookworm

# A non-root user owns the course; uid 1000 matches the first user of most Linux laptops, so the
# notebooks mounted from the host stay writable on both sides.
RUN useradd --create-home --uid 1000 learner
USER 1000:1000
# The course's user creates the folders the notebooks write to (and compose mounts), so it owns them
# whether or not a host folder is mounted there (.dockerignore keeps the host's copies out of the image).
RUN mkdir -p /home/learner/course/models /home/learner/course/logs
WORKDIR /home/learner/course
ENV PATH=/home/learner/.local/bin:$PATH \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DL_WORKSHOP_DATA=/home/learner/data

# The pinned packages first, so that editing a notebook does not reinstall them.
COPY --chown=1000:1000 requirements.txt ./
RUN pip install --user -r requirements.txt

COPY --chown=1000:1000 . .
# The full MNIST (11 MB, verified by sha256) goes into the image when the build has a network;
# without one, the notebooks use the 5,000-digit sample shipped in data/. Either way the
# container then works offline in the classroom.
RUN python -m utils.data --prefetch || echo "No network during the build: the container will use the shipped MNIST sample."

EXPOSE 8888 6006
# In the container JupyterLab listens on all interfaces; compose.yaml publishes it on 127.0.0.1 only.
CMD ["jupyter", "lab", "--ip=0.0.0.0", "--port=8888", "--no-browser", "--ServerApp.root_dir=/home/learner/course", "notebooks/"]
