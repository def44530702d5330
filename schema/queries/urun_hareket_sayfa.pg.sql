-- expect-index: ix_stok_urun_tarih
-- One page of a product's stock movements, cursor-based (paginate_cursor_based): product 17's
-- 50 movements before the cursor 2025-09-01 00:00:00, newest first.
SELECT h.id, to_char(h.islem_tarihi, 'YYYY-MM-DD HH24:MI:SS'), h.hareket_tipi, h.miktar, h.islem_yapan_id
  FROM stok_hareketleri h
 WHERE h.urun_id = 17 AND h.islem_tarihi < '2025-09-01 00:00:00'
 ORDER BY h.islem_tarihi DESC
 LIMIT 50
