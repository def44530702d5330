-- expect-index: ix_audit_yeni_deger
-- Audit entries by JSON content: changes whose new value holds product "Kola" made inactive.
SELECT a.id, a.islem_tipi, a.tablo_adi, a.kayit_id, a.kullanici_adi, a.yeni_deger ->> 'stok' AS stok,
       a.yeni_deger ->> 'fiyat' AS fiyat, to_char(a.islem_tarihi, 'YYYY-MM-DD HH24:MI:SS')
  FROM audit_logs a
 WHERE a.yeni_deger @> '{"urun_adi": "Kola", "aktif": false}'
 ORDER BY a.id
