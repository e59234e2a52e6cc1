"""The signature as Nghị định 30/2020 draws it (issue 18 §3): the signer's signature image between
the title and the name, the seal at its real size over the left third of the signature; in the
signed PDF as the signature's appearance, in the preview where it will be; positions read back."""

import base64
import io
import zipfile

import pytest
from PIL import Image, ImageDraw
from pypdf import PdfReader
from test_signing import forms, identity, p12, signed_package  # noqa: F401  (fixtures)

from desktop.exchange.signature_look import MM, PERSON, checked_png, look_of
from desktop.foundation.messages import CchcError
from desktop.foundation.settings import load_settings, save_settings


def png(size=(600, 240), colour=(20, 40, 200, 255), mode="RGBA", circle=False) -> bytes:
    image = Image.new(mode, size, (0, 0, 0, 0) if mode == "RGBA" else (255, 255, 255))
    draw = ImageDraw.Draw(image)
    if circle:
        draw.ellipse((4, 4, size[0] - 4, size[1] - 4), outline=colour, width=12)
    else:
        draw.line((20, size[1] - 40, size[0] // 2, 30, size[0] - 20, size[1] - 60), fill=colour, width=10)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


SIGNATURE, SEAL = png(), png((500, 500), (200, 20, 20, 255), circle=True)


def settings_with(store, signature=SIGNATURE, seal=SEAL, seal_mm=36) -> dict:
    settings = load_settings(store)
    settings["signing"].update(signature_image=base64.b64encode(signature).decode() if signature else "",
                               seal_image=base64.b64encode(seal).decode() if seal else "", seal_mm=seal_mm)
    save_settings(store, settings)
    return settings["signing"]


def test_the_seal_is_real_size_over_the_left_third_of_the_signature_between_title_and_name():
    signing = {"signature_image": base64.b64encode(SIGNATURE).decode(),
               "seal_image": base64.b64encode(SEAL).decode(), "seal_mm": 36}
    spot = (0, 300.0, 200.0, 540.0, 200.0 + 25 * MM)
    look = look_of(signing, spot)
    signature, seal = look.signature, look.seal
    assert signature.bottom >= spot[2] and signature.top <= spot[4]  # between the title and the name
    assert abs((signature.left + signature.right) / 2 - 420) < 0.01  # centred under the title
    assert abs(signature.width / signature.height - 600 / 240) < 0.01  # its own proportions
    assert abs(seal.width - 36 * MM) < 0.01 and abs(seal.height - 36 * MM) < 0.01  # real size
    assert abs(seal.right - (signature.left + signature.width / 3)) < 0.01  # a third of the signature under it
    assert abs((seal.bottom + seal.top) / 2 - (signature.bottom + signature.top) / 2) < 0.01
    composed = Image.open(io.BytesIO(look.image))
    assert composed.mode == "RGBA" and composed.getpixel((0, 0))[3] == 0  # transparent: the text shows through
    # no seal chosen: the signature alone; no signature: the text stamp (no look)
    assert look_of({**signing, "seal_image": ""}, spot).seal is None
    assert look_of({**signing, "signature_image": ""}, spot) is None


@pytest.mark.parametrize("data, code", [
    (b"GIF89a" + b"\0" * 100, "LOOK002"),
    (png(mode="RGB"), "LOOK003"),  # no transparency: it would hide the text under it
    (b"\x89PNG\r\n\x1a\n" + b"\0" * 50, "LOOK002"),  # a damaged PNG
    (b"\x89PNG\r\n\x1a\n" + b"\0" * (1024 * 1024 + 1), "LOOK001"),
    (png(size=(10, 10)), "LOOK004"),
])
def test_a_wrong_image_is_refused_with_a_reason(data, code):
    with pytest.raises(CchcError) as refused:
        checked_png(data, "chữ ký")
    assert refused.value.code == code


def test_the_signed_pdf_shows_the_signature_image_as_the_persons_signature(store, forms, identity,  # noqa: F811
                                                                           tmp_path):
    """The person's signature shows the signature image alone: the seal is the organisation's
    signature, added by the văn thư (issue 28 §3, test_seal.py)."""
    from desktop.exchange.pdf import render_pdf
    from desktop.report.data import report_data

    signing = settings_with(store)
    report, package = signed_package(store, forms, identity, tmp_path)
    pdf = PdfReader(io.BytesIO(zipfile.ZipFile(io.BytesIO(package)).read("report.pdf")))
    page = pdf.pages[0]
    widget = next(a.get_object() for a in page["/Annots"] if a.get_object().get("/FT") == "/Sig")
    rect = [float(v) for v in widget["/Rect"]]
    marks: dict = {}
    render_pdf(report_data(store, forms, report), marks)  # the same page, to learn where the spot is
    expected = look_of(signing, marks["signature"], PERSON).box
    assert rect == pytest.approx([expected.left, expected.bottom, expected.right, expected.top], abs=1)
    assert rect[3] - rect[1] <= 20 * MM + 1  # the signature image's height: no seal in it
    appearance = widget["/AP"]["/N"].get_object()
    images = []

    def collect(xobject):
        for item in (xobject.get("/Resources", {}).get("/XObject") or {}).values():
            item = item.get_object()
            if item.get("/Subtype") == "/Image":
                images.append(item)
            elif item.get("/Subtype") == "/Form":
                collect(item)

    collect(appearance)
    assert images and any("/SMask" in image for image in images)  # the composed PNG, with its transparency
    titles = {}
    page.extract_text(visitor_text=lambda text, cm, tm, font, size: titles.setdefault(text.strip(), tm[5] + cm[5]))
    middle = (rect[1] + rect[3]) / 2
    assert marks["signature"][2] < middle < titles["CHỦ TỊCH"]  # under the title, above the name's line


def test_without_images_the_signed_pdf_keeps_its_text_stamp(store, forms, identity, tmp_path):  # noqa: F811
    settings_with(store, signature=None, seal=None)
    _, package = signed_package(store, forms, identity, tmp_path)
    pdf = PdfReader(io.BytesIO(zipfile.ZipFile(io.BytesIO(package)).read("report.pdf")))
    widget = next(a.get_object() for a in pdf.pages[0]["/Annots"] if a.get_object().get("/FT") == "/Sig")
    stream = widget["/AP"]["/N"].get_object()
    forms_in = [x.get_object() for x in (stream.get("/Resources", {}).get("/XObject") or {}).values()]
    drawn = stream.get_data() + b"".join(f.get_data() for f in forms_in)
    assert b" Tj" in drawn or b"TJ" in drawn  # text: "Ký bởi …, Thời gian ký …"
    assert not any(f.get("/Subtype") == "/Image" for f in forms_in)


def test_the_preview_draws_the_images_where_the_signature_will_be(store, forms, identity):  # noqa: F811
    from desktop.exchange.pdf import render_pdf
    from desktop.report.data import report_data
    from test_signing import commune_report

    signing = settings_with(store)
    report = commune_report(store, forms)
    marks: dict = {}
    pdf = render_pdf(report_data(store, forms, report), marks, signing=signing)
    look, spot = marks["look"], marks["signature"]
    assert look == look_of(signing, spot)  # the same place the signed PDF will use
    page = PdfReader(io.BytesIO(pdf)).pages[0]
    images = [x.get_object() for x in (page["/Resources"].get("/XObject") or {}).values()
              if x.get_object().get("/Subtype") == "/Image"]
    assert len(images) == 1
    content = page.get_contents().get_data().decode("latin-1")
    import re

    drawn = re.search(r"([\d.]+) 0 0 ([\d.]+) [-\d.]+ [-\d.]+ cm\s*/FormXob\S+ Do", content)
    assert drawn and float(drawn[1]) == pytest.approx(look.box.width, abs=0.01)
    assert float(drawn[2]) == pytest.approx(look.box.height, abs=0.01)
    plain = render_pdf(report_data(store, forms, report))  # an export: no images, ever
    assert not (PdfReader(io.BytesIO(plain)).pages[0]["/Resources"].get("/XObject") or {})


def test_the_cli_keeps_the_images_with_the_settings_and_refuses_a_wrong_one(store, tmp_path, capsys):
    from conftest import cli

    (tmp_path / "ky.png").write_bytes(SIGNATURE)
    (tmp_path / "dau.png").write_bytes(SEAL)
    (tmp_path / "anh.png").write_bytes(png(mode="RGB"))
    db = str(store.path)
    code, out = cli("--db", db, "signature-images", "--signature", str(tmp_path / "ky.png"), "--seal",
                    str(tmp_path / "dau.png"), "--seal-mm", "38")
    assert code == 0 and "Hình chữ ký: có; hình con dấu: có (đường kính 38 mm)" in out
    assert base64.b64decode(load_settings(store)["signing"]["seal_image"]) == SEAL
    code, _ = cli("--db", db, "signature-images", "--signature", str(tmp_path / "anh.png"))
    assert code == 2 and "nền trong suốt" in capsys.readouterr().err
    assert base64.b64decode(load_settings(store)["signing"]["signature_image"]) == SIGNATURE  # unchanged
    assert cli("--db", db, "signature-images", "--clear")[0] == 0
    assert load_settings(store)["signing"]["signature_image"] == ""
