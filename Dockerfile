FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
WORKDIR /app
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY . .
# The upload volume takes this folder's owner when Docker first creates it.
RUN mkdir -p /app/uploads && useradd --system app && chown -R app /app
USER app
EXPOSE 8000
