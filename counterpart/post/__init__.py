"""The counterpart of the public postal service (bưu chính công ích): it takes shipment
orders (``CreateOrder``, deduplicated on ``saleOrderCode``), answers a UPU S10 item code,
keeps each shipment's journey (``Tracking`` and a page), and on a control call delivers a
shipment and pushes the update, signed, to the portal's callback URL. Field names follow
integrations/data/post.json."""
