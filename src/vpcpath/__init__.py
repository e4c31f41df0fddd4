"""vpcpath: which way VPC traffic to S3, DynamoDB and ECR goes, what it costs, and the fix."""

__version__ = "0.1.0"
