(name, model) => {
  const sure = name && confirm('Supprimer « ' + name + ' » de l’index et du dossier des documents ?');
  // null, not '': the dropdown accepts no value, while '' is « not in the list of choices »
  return [sure ? name : null, model];
}
