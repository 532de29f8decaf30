#!/bin/sh
# One-shot job of the compose `minio-setup` service, on every `up`: the attachments bucket, and
# the app's own MinIO user allowed that bucket only (the app never holds the root password).
# Idempotent: an existing bucket, policy or user is kept (the user's secret key is updated).
set -eu

mc alias set stack http://minio:9000 "$MINIO_ROOT_USER" "$MINIO_ROOT_PASSWORD" >/dev/null
mc mb --ignore-existing "stack/$MINIO_BUCKET"

cat >/tmp/msproject-app.json <<POLICY
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": ["s3:GetBucketLocation", "s3:ListBucket", "s3:ListBucketMultipartUploads"],
      "Resource": ["arn:aws:s3:::$MINIO_BUCKET"]
    },
    {
      "Effect": "Allow",
      "Action": ["s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:AbortMultipartUpload",
        "s3:ListMultipartUploadParts"],
      "Resource": ["arn:aws:s3:::$MINIO_BUCKET/*"]
    }
  ]
}
POLICY
mc admin policy create stack msproject-app /tmp/msproject-app.json >/dev/null
mc admin user add stack "$MINIO_APP_ACCESS_KEY" "$MINIO_APP_SECRET_KEY" >/dev/null
# Attaching an attached policy is an error worth ignoring.
mc admin policy attach stack msproject-app --user "$MINIO_APP_ACCESS_KEY" >/dev/null 2>&1 || true
echo "minio-setup: bucket $MINIO_BUCKET and user $MINIO_APP_ACCESS_KEY ready"
