"""The shipment order the postal service takes, built from the portal's rows (field names and
what was verified of them: integrations/data/post.json). The sender is the counter that
returns the result; the receiver's address is a unit of today's map (province and commune
codes: the statistical code where the unit has one, since 1/7/2025 there is no district)."""

from dossiers.models import Unit

from .adapters.post import codes


def status_label(status: str) -> str:
    return codes()["statuses"].get(status, f"Tình trạng {status}")


def cod_amount(dossier, choice) -> int:
    """What the postman collects on delivery: the fee and charges of the rules the dossier was
    received under, when the applicant chose to pay them on delivery."""
    if not choice.collect_on_delivery:
        return 0
    return int(getattr(dossier.received_rules, "fee_vnd", 0) or 0)


def _code(unit) -> str:
    return (unit.statistical_code or unit.code) if unit is not None else ""


def _province(unit):
    """The province above ``unit`` (the root of its tree)."""
    return Unit.objects.filter(path=unit.province_path).first() if unit is not None else None


def order(dossier, choice, shipment) -> dict:
    """``CreateOrder``'s body for the result of ``dossier`` going to ``choice``'s address."""
    table = codes()
    counter = dossier.return_counter
    counter_commune = counter if counter.kind == "commune" else None
    province = _province(counter)
    to_province = _province(choice.commune)
    information = {
        "saleOrderCode": shipment.order_code,
        "senderName": counter.counter_label,
        "senderPhone": counter.phone,
        "senderAddress": counter.address,
        "senderProvinceCode": _code(province),
        "senderProvinceName": province.name if province else "",
        "senderCommuneCode": _code(counter_commune),
        "senderCommuneName": counter_commune.name if counter_commune else "",
        "receiverName": choice.recipient,
        "receiverPhone": choice.phone,
        "receiverAddress": choice.street,
        "receiverProvinceCode": _code(to_province),
        "receiverProvinceName": to_province.name if to_province else "",
        "receiverCommuneCode": _code(choice.commune),
        "receiverCommuneName": choice.commune.name if choice.commune_id else "",
        "serviceCode": table["service_code"],
        "contentNote": f"Kết quả giải quyết thủ tục hành chính, hồ sơ {dossier.code}",
        "weight": table["weight_grams"][shipment.weight_class],
        "isBroken": 0,
        "addonService": [],
    }
    if shipment.cod_amount:
        information["addonService"].append(
            {"code": table["cod_addon_code"], "propValue": f"COD:{shipment.cod_amount}"}
        )
    return {"orderCreationStatus": 1, "type": "GUI", "informationOrder": information}
