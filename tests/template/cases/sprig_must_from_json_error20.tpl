{{ mustFromJson "'x'" }}
