"""The SMS backends against local servers that speak the providers' documented formats.

Each server checks the request's signature the way the provider documents it and answers
with the provider's success or error codes (rate-limited, bad number, template not approved).
"""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl

import pytest

from portal import sms
from portal.sms.backends import (
    AliyunBackend,
    LocmemBackend,
    TencentBackend,
    aliyun_signature,
    tencent_authorization,
)

ALIYUN_SECRET = "aliyun-test-secret"
TENCENT_SECRET = "tencent-test-secret"

# Mobile numbers the fake providers answer with an error, by provider.
ALIYUN_ANSWERS = {
    "13900000001": "isv.BUSINESS_LIMIT_CONTROL",
    "13900000002": "isv.MOBILE_NUMBER_ILLEGAL",
}
TENCENT_ANSWERS = {
    "+8613900000001": "LimitExceeded.PhoneNumberDailyLimit",
    "+8613900000002": "InvalidParameterValue.IncorrectPhoneNumber",
}


def test_aliyun_signature_matches_the_documented_example():
    """The worked example of Aliyun's SMS signature documentation (GET, testId/testSecret)."""
    params = {
        "AccessKeyId": "testId",
        "Action": "SendSms",
        "Format": "XML",
        "OutId": "123",
        "PhoneNumbers": "15300000001",
        "RegionId": "cn-hangzhou",
        "SignName": "阿里云短信测试专用",
        "SignatureMethod": "HMAC-SHA1",
        "SignatureNonce": "45e25e9b-0a6f-4070-8c85-2956eda1b466",
        "SignatureVersion": "1.0",
        "TemplateCode": "SMS_71390007",
        "TemplateParam": '{"customer":"test"}',
        "Timestamp": "2017-07-12T02:42:19Z",
        "Version": "2017-05-25",
    }
    assert aliyun_signature(params, "testSecret", method="GET") == "zJDF+Lrzhj/ThnlvIToysFRq6t4="


class _Server:
    def __init__(self, handler):
        self.requests = []
        handler.requests = self.requests
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


class _Quiet(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def answer(self, status, body):
        raw = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(raw)))
        self.end_headers()
        self.wfile.write(raw)


class AliyunHandler(_Quiet):
    """dysmsapi SendSms: form-encoded RPC parameters, signature v1, JSON answer."""

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"])).decode()
        params = dict(parse_qsl(body, keep_blank_values=True))
        self.requests.append(params)
        signature = params.pop("Signature", "")
        if params.get("SignatureMethod") != "HMAC-SHA1" or signature != aliyun_signature(
            params, ALIYUN_SECRET
        ):
            return self.answer(400, {"Code": "SignatureDoesNotMatch", "Message": "bad"})
        if params["TemplateCode"] == "SMS_UNAPPROVED":
            code = "isv.SMS_TEMPLATE_ILLEGAL"
        else:
            code = ALIYUN_ANSWERS.get(params["PhoneNumbers"], "OK")
        answer = {"Code": code, "Message": "OK" if code == "OK" else code, "RequestId": "R1"}
        if code == "OK":
            answer["BizId"] = "900619746936498440^0"
        return self.answer(200, answer)


class TencentHandler(_Quiet):
    """SMS API 3.0 SendSms: JSON body, TC3-HMAC-SHA256 Authorization, JSON answer."""

    def do_POST(self):
        payload = self.rfile.read(int(self.headers["Content-Length"]))
        body = json.loads(payload)
        self.requests.append({"headers": dict(self.headers), "body": body})
        expected = tencent_authorization(
            "AKIDtest",
            TENCENT_SECRET,
            self.headers["Host"],
            payload,
            int(self.headers["X-TC-Timestamp"]),
        )
        if self.headers["Authorization"] != expected or self.headers["X-TC-Action"] != "SendSms":
            error = {"Code": "AuthFailure.SignatureFailure", "Message": "bad signature"}
            return self.answer(200, {"Response": {"Error": error, "RequestId": "R2"}})
        if body["TemplateId"] == "999999":
            code = "FailedOperation.TemplateIncorrectOrUnapproved"
        else:
            code = TENCENT_ANSWERS.get(body["PhoneNumberSet"][0], "Ok")
        status = {
            "SerialNo": "2028:1234" if code == "Ok" else "",
            "PhoneNumber": body["PhoneNumberSet"][0],
            "Fee": 1,
            "SessionContext": "",
            "Code": code,
            "Message": "send success" if code == "Ok" else code,
            "IsoCode": "CN",
        }
        return self.answer(200, {"Response": {"SendStatusSet": [status], "RequestId": "R3"}})


@pytest.fixture
def aliyun(settings):
    server = _Server(AliyunHandler)
    settings.SMS_ALIYUN_ENDPOINT = server.url
    settings.SMS_ALIYUN_ACCESS_KEY_ID = "LTAItest"
    settings.SMS_ALIYUN_ACCESS_KEY_SECRET = ALIYUN_SECRET
    settings.SMS_SIGN_NAME = "网格服务"
    settings.SMS_TEMPLATE_IDS = {"receipt": "SMS_123456", "bad": "SMS_UNAPPROVED"}
    yield server
    server.close()


@pytest.fixture
def tencent(settings):
    server = _Server(TencentHandler)
    settings.SMS_TENCENT_ENDPOINT = server.url
    settings.SMS_TENCENT_SECRET_ID = "AKIDtest"
    settings.SMS_TENCENT_SECRET_KEY = TENCENT_SECRET
    settings.SMS_TENCENT_SDK_APP_ID = "1400000000"
    settings.SMS_SIGN_NAME = "网格服务"
    settings.SMS_TEMPLATE_IDS = {"receipt": "123456", "bad": "999999"}
    yield server
    server.close()


def _receipt(phone, template="receipt"):
    params = {"ticket": "2026-000123", "code": "7KQ4MNPQRTUV"}
    return sms.SmsMessage(phone=phone, template=template, params=params, text="…")


def test_aliyun_sends_a_signed_template_with_parameters(aliyun):
    assert sms.send(_receipt("13800001234"), backend=AliyunBackend()) == "900619746936498440^0"
    request = aliyun.requests[-1]
    assert request["Action"] == "SendSms" and request["Version"] == "2017-05-25"
    assert request["SignName"] == "网格服务" and request["TemplateCode"] == "SMS_123456"
    assert json.loads(request["TemplateParam"]) == {"ticket": "2026-000123", "code": "7KQ4MNPQRTUV"}


@pytest.mark.parametrize(
    ("phone", "template", "code", "retryable"),
    [
        ("13900000001", "receipt", "isv.BUSINESS_LIMIT_CONTROL", True),
        ("13900000002", "receipt", "isv.MOBILE_NUMBER_ILLEGAL", False),
        ("13800001234", "bad", "isv.SMS_TEMPLATE_ILLEGAL", False),
    ],
)
def test_aliyun_errors_say_whether_to_retry(aliyun, phone, template, code, retryable):
    with pytest.raises(sms.SmsError) as caught:
        sms.send(_receipt(phone, template), backend=AliyunBackend())
    assert caught.value.code == code and caught.value.retryable is retryable


def test_aliyun_with_a_wrong_secret_is_refused(aliyun, settings):
    settings.SMS_ALIYUN_ACCESS_KEY_SECRET = "wrong"
    with pytest.raises(sms.SmsError) as caught:
        sms.send(_receipt("13800001234"), backend=AliyunBackend())
    assert caught.value.code == "SignatureDoesNotMatch" and not caught.value.retryable


def test_tencent_sends_a_signed_template_with_ordered_parameters(tencent):
    assert sms.send(_receipt("13800001234"), backend=TencentBackend()) == "2028:1234"
    body = tencent.requests[-1]["body"]
    assert body["PhoneNumberSet"] == ["+8613800001234"] and body["SmsSdkAppId"] == "1400000000"
    assert body["TemplateId"] == "123456" and body["SignName"] == "网格服务"
    assert body["TemplateParamSet"] == ["2026-000123", "7KQ4MNPQRTUV"]


@pytest.mark.parametrize(
    ("phone", "template", "code", "retryable"),
    [
        ("13900000001", "receipt", "LimitExceeded.PhoneNumberDailyLimit", True),
        ("13900000002", "receipt", "InvalidParameterValue.IncorrectPhoneNumber", False),
        ("13800001234", "bad", "FailedOperation.TemplateIncorrectOrUnapproved", False),
    ],
)
def test_tencent_errors_say_whether_to_retry(tencent, phone, template, code, retryable):
    with pytest.raises(sms.SmsError) as caught:
        sms.send(_receipt(phone, template), backend=TencentBackend())
    assert caught.value.code == code and caught.value.retryable is retryable


def test_tencent_with_a_wrong_key_is_refused(tencent, settings):
    settings.SMS_TENCENT_SECRET_KEY = "wrong"
    with pytest.raises(sms.SmsError) as caught:
        sms.send(_receipt("13800001234"), backend=TencentBackend())
    assert caught.value.code == "AuthFailure.SignatureFailure"


def test_a_provider_that_is_down_is_a_retryable_error(settings, free_port):
    settings.SMS_ALIYUN_ENDPOINT = f"http://127.0.0.1:{free_port}/"
    settings.SMS_TEMPLATE_IDS = {"receipt": "SMS_1"}
    with pytest.raises(sms.SmsError) as caught:
        sms.send(_receipt("13800001234"), backend=AliyunBackend())
    assert caught.value.retryable


def test_an_unconfigured_template_is_not_sent(settings):
    settings.SMS_TEMPLATE_IDS = {}
    LocmemBackend.outbox.clear()
    with pytest.raises(sms.SmsError):
        sms.send(_receipt("13800001234"), backend=AliyunBackend())


def test_mobile_numbers_are_normalised():
    assert sms.normalise_mobile("+86 138-0013-8000") == "13800138000"
    assert sms.normalise_mobile("010-12345678") == ""
    assert sms.normalise_mobile("１３８００１３８０００") == ""  # full-width digits: not ASCII


def test_tencent_signature_matches_the_official_sdk():
    """The TC3-HMAC-SHA256 signature equals the one Tencent Cloud's own SDK computes
    (`tencentcloud.common.sign.Sign.sign_tc3`) for the documented string to sign: the canonical
    request (POST, /, no query, the two signed headers, the payload's SHA-256), hashed."""
    import hashlib

    from tencentcloud.common.sign import Sign

    from portal.sms.backends import tencent_authorization

    host, payload, timestamp = "sms.tencentcloudapi.com", b'{"a": "\xe7\x9f\xad"}', 1551113065
    header = tencent_authorization("AKIDexample", "secret-key", host, payload, timestamp)
    canonical = "\n".join(
        [
            "POST",
            "/",
            "",
            f"content-type:application/json; charset=utf-8\nhost:{host}\n",
            "content-type;host",
            hashlib.sha256(payload).hexdigest(),
        ]
    )
    to_sign = "\n".join(
        [
            "TC3-HMAC-SHA256",
            str(timestamp),
            "2019-02-25/sms/tc3_request",
            hashlib.sha256(canonical.encode()).hexdigest(),
        ]
    )
    expected = Sign.sign_tc3("secret-key", "2019-02-25", "sms", to_sign)
    assert header == (
        "TC3-HMAC-SHA256 Credential=AKIDexample/2019-02-25/sms/tc3_request, "
        f"SignedHeaders=content-type;host, Signature={expected}"
    )
