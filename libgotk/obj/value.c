/* placeholder: obj module is being written */
