"""Sending reports up: the workflow (Nháp → Đã kiểm tra → Đã ký → Đã nộp), certificates and
tokens, the signed package, verification and consolidation at the level above."""
