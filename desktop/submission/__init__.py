"""Sending reports up: the workflow (Nháp → Đã kiểm tra → Đã ký → Đã nộp), certificates and
tokens, the signed package, verification and consolidation at the level above."""

# Said of a certificate no configured CA vouches for: in the OU of the certificates the app makes,
# on the signature stamp, in verify's verdict and in the completeness matrix. Here, not in
# identity.py, so that the window can show it without loading the signing stack at start.
NOT_CA_VERIFIED = "không được CA xác thực"

# The completeness matrix's states, shown by the window without loading the signing stack.
STATES = {"submitted": "Đã nộp", "late": "Nộp trễ hạn", "missing": "Chưa nộp", "rejected": "Bị từ chối",
          "held": "Chờ xác nhận chứng thư"}
