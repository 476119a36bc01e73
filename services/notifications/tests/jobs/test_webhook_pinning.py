"""A webhook call goes to the address that was checked (production rules):
the host name is resolved once per delivery, every address it has is
checked, and the connection is made to the checked address, so a name that
answers a public address to the check and 127.0.0.1 to the connection
(DNS rebinding) cannot reach CareBridge's own network. The Host header,
TLS SNI and certificate check still use the subscribed name; redirects are
not followed."""
import datetime
import socket
import ssl

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from carebridge_notifications.jobs.deliveries import send_due_deliveries
from support import HttpRecorder, deliveries, runtime_settings_for, subscribe_webhook

PUBLIC = "93.184.216.34"  # a global address: the check lets it through
BOOKED = "scheduling.appointment-booked"


@pytest.fixture
def runtime_settings(tmp_path):
    return runtime_settings_for(tmp_path, WEBHOOK_CHECK_TARGETS="true", WEBHOOK_TIMEOUT="2",
                                WEBHOOK_ALLOWED_HOSTS="127.0.0.0/8,::1/128")


@pytest.fixture
def public_receiver():
    """Plays the staff app on the public internet, at PUBLIC."""
    receiver = HttpRecorder().start()
    yield receiver
    receiver.stop()


class Network:
    """socket.getaddrinfo as the code under test sees it: `names` maps a
    host name to the answers of its successive lookups (the last one
    repeats); a connection to PUBLIC reaches `public_port` on this machine.
    `lookups` lists the names asked for."""

    def __init__(self, monkeypatch, names: dict[str, list[str]], public_port: int | None = None):
        self.names = {name: list(answers) for name, answers in names.items()}
        self.public_port = public_port
        self.lookups: list[str] = []
        self._real = socket.getaddrinfo
        monkeypatch.setattr(socket, "getaddrinfo", self.getaddrinfo)

    def getaddrinfo(self, host, port, *args, **kwargs):
        host = host.decode() if isinstance(host, bytes) else host
        self.lookups.append(host)
        if host in self.names:
            answers = self.names[host]
            answer = answers.pop(0) if len(answers) > 1 else answers[0]
            if answer is None:
                raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
            return self._real(answer, port, *args, **kwargs)
        if host == PUBLIC and self.public_port is not None:
            return self._real("127.0.0.1", self.public_port, *args, **kwargs)
        return self._real(host, port, *args, **kwargs)


def hooks_to(receiver):
    return [r for r in receiver.requests if r["path"] == "/hook"]


def test_a_name_rebound_to_loopback_after_the_check_still_reaches_the_checked_address(
        monkeypatch, runtime, world, http_receiver, public_receiver):
    # The internal service the attacker aims at is the loopback receiver;
    # the name answers the public address first, then 127.0.0.1.
    network = Network(monkeypatch, {"rebinder.example": [PUBLIC, "127.0.0.1"]}, public_port=public_receiver.port)
    subscribe_webhook(runtime, f"http://rebinder.example:{http_receiver.port}/hook", [BOOKED])
    world.deliver(world.booked(code="mri-lumbar-spine"))
    send_due_deliveries(runtime)
    assert hooks_to(http_receiver) == []
    [call] = hooks_to(public_receiver)
    assert call["headers"]["Host"] == f"rebinder.example:{http_receiver.port}"
    assert network.lookups.count("rebinder.example") == 1
    [hook] = deliveries(runtime, "webhook")
    assert hook.status == "sent"


def test_a_name_with_any_internal_address_is_refused_at_delivery(monkeypatch, runtime, world, http_receiver):
    monkeypatch.setattr(socket, "getaddrinfo", _both(socket.getaddrinfo, "mixed.example", PUBLIC, "169.254.169.254"))
    subscribe_webhook(runtime, f"http://mixed.example:{http_receiver.port}/hook", [BOOKED])
    world.deliver(world.booked(code="mri-lumbar-spine"))
    send_due_deliveries(runtime)
    [hook] = deliveries(runtime, "webhook")
    assert (hook.status, hook.last_error) == ("bounced", "webhook-target-internal-address")
    assert hooks_to(http_receiver) == []


def _both(getaddrinfo, name, *addresses):
    """A lookup of `name` answering every one of `addresses` at once."""
    def lookup(host, port, *args, **kwargs):
        if host == name:
            return [info for address in addresses for info in getaddrinfo(address, port, *args, **kwargs)]
        return getaddrinfo(host, port, *args, **kwargs)
    return lookup


def test_a_redirect_to_an_internal_address_is_not_followed(monkeypatch, runtime, world, http_receiver,
                                                            public_receiver):
    Network(monkeypatch, {"staff-app.example": [PUBLIC]}, public_port=public_receiver.port)
    locations = {"/moved-1": f"http://127.0.0.1:{http_receiver.port}/hook",
                 "/moved-2": "http://169.254.169.254/latest/meta-data/"}
    public_receiver.respond = lambda request: (307, {}, {"Location": locations[request["path"]]})
    for path in locations:
        subscribe_webhook(runtime, f"http://staff-app.example:{public_receiver.port}{path}", [BOOKED])
    world.deliver(world.booked(code="mri-lumbar-spine"))
    send_due_deliveries(runtime)
    assert sorted(r["path"] for r in public_receiver.requests) == ["/moved-1", "/moved-2"]
    assert hooks_to(http_receiver) == []
    assert {(d.status, d.last_error) for d in deliveries(runtime, "webhook")} == {("bounced", "webhook-http-307")}


def test_an_allow_listed_local_receiver_gets_the_call_by_its_name(monkeypatch, runtime, world, http_receiver):
    network = Network(monkeypatch, {})
    subscribe_webhook(runtime, f"http://localhost:{http_receiver.port}/hook", [BOOKED])
    world.deliver(world.booked(code="mri-lumbar-spine"))
    send_due_deliveries(runtime)
    [call] = hooks_to(http_receiver)
    assert call["headers"]["Host"] == f"localhost:{http_receiver.port}"
    assert network.lookups.count("localhost") == 1
    [hook] = deliveries(runtime, "webhook")
    assert hook.status == "sent"


@pytest.fixture(scope="module")
def tls_files(tmp_path_factory):
    """A certificate authority and a server certificate for webhooks.test."""
    folder = tmp_path_factory.mktemp("tls")
    now = datetime.datetime.now(datetime.timezone.utc)
    ca_key, key = ec.generate_private_key(ec.SECP256R1()), ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "CareBridge test CA")])
    ca = (x509.CertificateBuilder().subject_name(ca_name).issuer_name(ca_name).public_key(ca_key.public_key())
          .serial_number(x509.random_serial_number()).not_valid_before(now - datetime.timedelta(days=1))
          .not_valid_after(now + datetime.timedelta(days=1))
          .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
          .add_extension(x509.KeyUsage(digital_signature=False, content_commitment=False, key_encipherment=False,
                                       data_encipherment=False, key_agreement=False, key_cert_sign=True,
                                       crl_sign=True, encipher_only=False, decipher_only=False), critical=True)
          .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), critical=False)
          .sign(ca_key, hashes.SHA256()))
    leaf = (x509.CertificateBuilder()
            .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "webhooks.test")]))
            .issuer_name(ca_name).public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(days=1)).not_valid_after(now + datetime.timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName([x509.DNSName("webhooks.test")]), critical=False)
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
            .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False)
            .sign(ca_key, hashes.SHA256()))
    pem = serialization.Encoding.PEM
    (folder / "ca.pem").write_bytes(ca.public_bytes(pem))
    (folder / "server.pem").write_bytes(leaf.public_bytes(pem) + key.private_bytes(
        pem, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
    return folder


@pytest.fixture
def https_receiver(tls_files):
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(tls_files / "server.pem")
    receiver = HttpRecorder(tls=context).start()
    yield receiver
    receiver.stop()


def test_https_to_the_pinned_address_checks_the_certificate_for_the_name(monkeypatch, runtime, world, tls_files,
                                                                          https_receiver):
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(tls_files / "ca.pem"))
    # Allow-listed (127.0.0.0/8) at the check; gone by the time of a second lookup.
    network = Network(monkeypatch, {"webhooks.test": ["127.0.0.1", None]})
    subscribe_webhook(runtime, f"https://webhooks.test:{https_receiver.port}/hook", [BOOKED])
    world.deliver(world.booked(code="mri-lumbar-spine"))
    send_due_deliveries(runtime)
    [call] = hooks_to(https_receiver)
    assert call["headers"]["Host"] == f"webhooks.test:{https_receiver.port}"
    assert https_receiver.server_names == ["webhooks.test"]
    assert network.lookups.count("webhooks.test") == 1
    [hook] = deliveries(runtime, "webhook")
    assert hook.status == "sent"


def test_https_to_a_certificate_for_another_name_is_refused(monkeypatch, runtime, world, tls_files, https_receiver):
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(tls_files / "ca.pem"))
    Network(monkeypatch, {"impostor.test": ["127.0.0.1"]})
    subscribe_webhook(runtime, f"https://impostor.test:{https_receiver.port}/hook", [BOOKED])
    world.deliver(world.booked(code="mri-lumbar-spine"))
    send_due_deliveries(runtime)
    assert hooks_to(https_receiver) == []
    [hook] = deliveries(runtime, "webhook")
    assert (hook.status, hook.last_error) == ("pending", "webhook-SSLError")
