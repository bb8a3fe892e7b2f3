"""SMS backends: console and local memory for development and tests, Aliyun and Tencent Cloud.

The provider backends speak the providers' documented HTTP APIs with the standard library:
Aliyun 短信服务 (dysmsapi, RPC `SendSms`, signature v1 HMAC-SHA1) and Tencent Cloud 短信
(API 3.0 `SendSms`, TC3-HMAC-SHA256). Their endpoints are settings, so tests point them at a
local server that answers in the providers' formats.
"""

import base64
import datetime as dt
import hashlib
import hmac
import json
import logging
import sys
import threading
import time
import uuid
from urllib import error as urlerror
from urllib import request as urlrequest
from urllib.parse import quote, urlencode, urlsplit

from django.conf import settings

from . import SmsError

logger = logging.getLogger("portal.sms")


class BaseBackend:
    """Send one portal.sms.SmsMessage; return the provider's id, raise portal.sms.SmsError."""

    def send(self, message):
        raise NotImplementedError

    def template_id(self, name):
        ids = getattr(settings, "SMS_TEMPLATE_IDS", {}) or {}
        if not ids.get(name):
            raise SmsError("template-not-configured", name, retryable=False)
        return ids[name]


class ConsoleBackend(BaseBackend):
    """Writes each message to standard output (development)."""

    def send(self, message):
        sign = settings.SMS_SIGN_NAME
        sys.stdout.write(f"SMS to {message.phone} [{message.template}] 【{sign}】{message.text}\n")
        sys.stdout.flush()
        return f"console-{uuid.uuid4().hex[:12]}"


class LocmemBackend(BaseBackend):
    """Keeps each message in `LocmemBackend.outbox` (tests), as Django's locmem e-mail backend."""

    outbox = []
    _lock = threading.Lock()

    def send(self, message):
        with self._lock:
            type(self).outbox.append(message)
        return f"locmem-{len(type(self).outbox)}"


def _post(url, body, headers):
    """POST and decode the JSON answer; outages are retryable errors."""
    if urlsplit(url).scheme not in ("https", "http"):
        raise SmsError("bad-endpoint", url, retryable=False)
    req = urlrequest.Request(url, data=body, headers=headers, method="POST")  # noqa: S310
    timeout = getattr(settings, "SMS_TIMEOUT", 10)
    try:
        with urlrequest.urlopen(req, timeout=timeout) as response:  # noqa: S310
            raw = response.read()
    except urlerror.HTTPError as exc:
        raw = exc.read()
        if exc.code >= 500 or not raw:
            raise SmsError(f"http-{exc.code}", str(exc.reason), retryable=True) from exc
    except (urlerror.URLError, OSError) as exc:
        raise SmsError("unreachable", str(exc), retryable=True) from exc
    try:
        return json.loads(raw)
    except ValueError as exc:
        raise SmsError("bad-response", raw[:200].decode("utf-8", "replace"), True) from exc


# Provider codes worth retrying later: rate and flow limits, and the provider's own outages.
ALIYUN_RETRYABLE = {
    "isv.BUSINESS_LIMIT_CONTROL",
    "isv.DAY_LIMIT_CONTROL",
    "Throttling.User",
    "ServiceUnavailable",
    "InternalError",
}
TENCENT_RETRYABLE_PREFIXES = ("LimitExceeded", "InternalError", "RequestLimitExceeded")


def aliyun_percent_encode(text):
    """RFC 3986 encoding as Aliyun's signature v1 wants it ('~' kept, space as %20)."""
    return quote(str(text), safe="~")


def aliyun_signature(params, secret, method="POST"):
    """Signature v1 of an Aliyun RPC request: HMAC-SHA1 over the canonical query string."""
    canonical = "&".join(
        f"{aliyun_percent_encode(k)}={aliyun_percent_encode(params[k])}" for k in sorted(params)
    )
    string_to_sign = f"{method}&{aliyun_percent_encode('/')}&{aliyun_percent_encode(canonical)}"
    digest = hmac.new(f"{secret}&".encode(), string_to_sign.encode(), hashlib.sha1).digest()
    return base64.b64encode(digest).decode()


class AliyunBackend(BaseBackend):
    """Aliyun 短信服务: dysmsapi `SendSms` (API version 2017-05-25)."""

    def send(self, message):
        params = {
            "AccessKeyId": settings.SMS_ALIYUN_ACCESS_KEY_ID,
            "Action": "SendSms",
            "Format": "JSON",
            "PhoneNumbers": message.phone,
            "RegionId": getattr(settings, "SMS_ALIYUN_REGION", "cn-hangzhou"),
            "SignName": settings.SMS_SIGN_NAME,
            "SignatureMethod": "HMAC-SHA1",
            "SignatureNonce": uuid.uuid4().hex,
            "SignatureVersion": "1.0",
            "TemplateCode": self.template_id(message.template),
            "TemplateParam": json.dumps(message.params, ensure_ascii=False),
            "Timestamp": dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "Version": "2017-05-25",
        }
        params["Signature"] = aliyun_signature(params, settings.SMS_ALIYUN_ACCESS_KEY_SECRET)
        answer = _post(
            settings.SMS_ALIYUN_ENDPOINT,
            urlencode(params).encode(),
            {"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"},
        )
        code = answer.get("Code", "")
        if code != "OK":
            raise SmsError(code or "unknown", answer.get("Message", ""), code in ALIYUN_RETRYABLE)
        return answer.get("BizId", "")


def _sha256_hex(data):
    return hashlib.sha256(data).hexdigest()


def _hmac256(key, text):
    return hmac.new(key, text.encode(), hashlib.sha256).digest()


def tencent_authorization(secret_id, secret_key, host, payload, timestamp, service="sms"):
    """The TC3-HMAC-SHA256 Authorization header of a Tencent Cloud API 3.0 POST request."""
    date = dt.datetime.fromtimestamp(timestamp, dt.UTC).strftime("%Y-%m-%d")
    canonical_request = "\n".join(
        [
            "POST",
            "/",
            "",
            f"content-type:application/json; charset=utf-8\nhost:{host}\n",
            "content-type;host",
            _sha256_hex(payload),
        ]
    )
    scope = f"{date}/{service}/tc3_request"
    string_to_sign = "\n".join(
        ["TC3-HMAC-SHA256", str(timestamp), scope, _sha256_hex(canonical_request.encode())]
    )
    key = _hmac256(_hmac256(_hmac256(f"TC3{secret_key}".encode(), date), service), "tc3_request")
    signature = hmac.new(key, string_to_sign.encode(), hashlib.sha256).hexdigest()
    return (
        f"TC3-HMAC-SHA256 Credential={secret_id}/{scope}, "
        f"SignedHeaders=content-type;host, Signature={signature}"
    )


class TencentBackend(BaseBackend):
    """Tencent Cloud 短信: API 3.0 `SendSms` (version 2021-01-11); parameters in template order."""

    def send(self, message):
        endpoint = settings.SMS_TENCENT_ENDPOINT
        host = urlsplit(endpoint).netloc
        payload = json.dumps(
            {
                "PhoneNumberSet": [f"+86{message.phone}"],
                "SmsSdkAppId": settings.SMS_TENCENT_SDK_APP_ID,
                "SignName": settings.SMS_SIGN_NAME,
                "TemplateId": self.template_id(message.template),
                "TemplateParamSet": [str(value) for value in message.params.values()],
            },
            ensure_ascii=False,
        ).encode()
        timestamp = int(time.time())
        headers = {
            "Authorization": tencent_authorization(
                settings.SMS_TENCENT_SECRET_ID,
                settings.SMS_TENCENT_SECRET_KEY,
                host,
                payload,
                timestamp,
            ),
            "Content-Type": "application/json; charset=utf-8",
            "Host": host,
            "X-TC-Action": "SendSms",
            "X-TC-Timestamp": str(timestamp),
            "X-TC-Version": "2021-01-11",
            "X-TC-Region": getattr(settings, "SMS_TENCENT_REGION", "ap-guangzhou"),
        }
        answer = _post(endpoint, payload, headers).get("Response", {})
        if "Error" in answer:
            code = answer["Error"].get("Code", "unknown")
            retryable = code.startswith(TENCENT_RETRYABLE_PREFIXES)
            raise SmsError(code, answer["Error"].get("Message", ""), retryable)
        statuses = answer.get("SendStatusSet") or [{}]
        status = statuses[0]
        code = status.get("Code", "unknown")
        if code != "Ok":
            retryable = code.startswith(TENCENT_RETRYABLE_PREFIXES)
            raise SmsError(code, status.get("Message", ""), retryable)
        return status.get("SerialNo", "")
