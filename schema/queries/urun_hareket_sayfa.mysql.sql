-- One page of a product's stock movements, cursor-based (paginate_cursor_based): product 17's
-- 50 movements before the cursor 2025-09-01 00:00:00, newest first.
SELECT h.id, h.islem_tarihi, h.hareket_tipi, h.miktar, h.islem_yapan_id
  FROM stok_hareketleri h
 WHERE h.urun_id = 17 AND h.islem_tarihi < '2025-09-01 00:00:00'
 ORDER BY h.islem_tarihi DESC
 LIMIT 50
