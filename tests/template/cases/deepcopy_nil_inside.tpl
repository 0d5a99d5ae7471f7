{{ deepCopy (list nil) }}|{{ deepCopy (dict "a" nil) }}|{{ mustDeepCopy 3 }}
