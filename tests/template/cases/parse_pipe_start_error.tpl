{{ | printf }}
